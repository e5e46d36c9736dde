using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Validates a <c>private_key_jwt</c> client assertion (RFC 7523 §2.2 and §3) with Microsoft.IdentityModel: signed by
/// a key of the client's registered JWK set with an allowed asymmetric algorithm, <c>iss</c> = <c>sub</c> = the client
/// id, <c>aud</c> the endpoint's URL or a target issuer, <c>exp</c> required and not too far away, <c>jti</c> used once.
/// </summary>
internal sealed class ClientAssertionValidator
{
    public const int MaxAssertionLength = 8 * 1024;
    public const int MaxJtiLength = 256;

    /// <summary>The last second <see cref="DateTimeOffset"/> can hold (9999-12-31T23:59:59Z), as a NumericDate.</summary>
    public const long MaxNumericDate = 253402300799;

    /// <summary>The algorithms a client may sign with (RFC 7518 §3.1): asymmetric only, never <c>none</c> nor HMAC.</summary>
    public static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private const string Failed = "Client authentication failed.";

    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    // Note: public keys whose private halves were dropped when they were made (nothing can sign for them), one RSA key
    // and one per curve, made when the endpoint is built. An assertion naming a client that holds no keys is verified
    // against the one of its algorithm and refused as a wrong signature is, so neither the answer nor the work done
    // tells which client ids hold keys (a client with several keys and a kid none of them has costs one verification
    // per key of its algorithm's type).
    internal static readonly Dictionary<string, IReadOnlyList<JsonWebKey>> Decoys = CreateDecoys();

    // Note: Describe shows only the key-binding refusal (its own message); the wordings the type requires are never
    // shown, and read as an unknown client does should that change.
    private static readonly TokenValidationFailures.Wording s_wording = new()
    {
        WrongIssuer = Failed,
        WrongAudience = Failed,
        AlgorithmNotAllowed = Failed,
        UnknownKey = Failed,
    };

    private readonly string[] _audiences;
    private readonly TimeSpan _maxLifetime;
    private readonly TimeSpan _skew;
    private readonly ITokenExchangeReplayStore _replay;
    private readonly string _replayPrefix;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ClientAssertionValidator(string[] audiences, TimeSpan maxLifetime, TimeSpan skew, ITokenExchangeReplayStore replay, string replayPrefix, TimeProvider time, ILogger logger)
    {
        _audiences = audiences;
        _maxLifetime = maxLifetime;
        _skew = skew;
        _replay = replay;
        _replayPrefix = replayPrefix;
        _time = time;
        _logger = logger;
    }

    public async ValueTask<(RegisteredClient? Client, TokenExchangeError? Error)> ValidateAsync(string assertion, string? clientIdParameter, Dictionary<string, RegisteredClient> clients, CancellationToken cancellationToken)
    {
        if (assertion.Length > MaxAssertionLength)
        {
            return Refuse(string.Create(CultureInfo.InvariantCulture, $"The client assertion is longer than {MaxAssertionLength} characters."));
        }

        // Note: read strictly first (canonical base64url, no duplicate JSON member anywhere), so that the claims looked
        // at here are the claims Microsoft.IdentityModel validates.
        if (!CompactJws.TryDecode(assertion, CompactJws.Strictness.Canonical, out var jws, out var failure))
        {
            return Refuse($"The client assertion is not a well-formed compact JWS ({failure.Problem}, {failure.Part}).");
        }

        if (!jws.HasSignature || jws.Header.TryGetProperty("alg", out var alg) is false || alg.ValueKind != JsonValueKind.String || Array.IndexOf(Algorithms, alg.GetString()) < 0)
        {
            return Refuse($"The client assertion's 'alg' must be one of {string.Join(", ", Algorithms)}.");
        }

        foreach (var member in (ReadOnlySpan<string>)["jku", "x5u", "jwk", "crit"])
        {
            if (jws.Header.TryGetProperty(member, out _))
            {
                return Refuse($"The client assertion's header carries '{member}', which this endpoint does not accept (RFC 8725 §3.10, RFC 7515 §4.1.11).");
            }
        }

        var issuer = StringClaim(jws.Payload, "iss");
        var subject = StringClaim(jws.Payload, "sub");
        var jti = StringClaim(jws.Payload, "jti");
        if (issuer is null || subject is null || !string.Equals(issuer, subject, StringComparison.Ordinal))
        {
            return Refuse("The client assertion's 'iss' and 'sub' must both be the client id (RFC 7523 §3).");
        }

        if (clientIdParameter is not null && !string.Equals(clientIdParameter, issuer, StringComparison.Ordinal))
        {
            return Refuse("The client_id parameter differs from the client assertion's 'iss'.");
        }

        if (jti is not { Length: > 0 and <= MaxJtiLength })
        {
            return Refuse(string.Create(CultureInfo.InvariantCulture, $"The client assertion needs a 'jti' of 1 to {MaxJtiLength} characters, so that it is used once."));
        }

        // Note: aud is read here, before Microsoft.IdentityModel, which accepts an array with one match and ignores a
        // trailing slash: one JSON string equal (ordinal) to one configured identifier, nothing else.
        if (!jws.Payload.TryGetProperty("aud", out var aud) || aud.ValueKind != JsonValueKind.String || Array.IndexOf(_audiences, aud.GetString()) < 0)
        {
            return Refuse("The client assertion's 'aud' must be one string: this token endpoint's URL (TokenEndpoint) or a target profile's issuer, exactly.");
        }

        // Note: out-of-range dates would make the platform's conversions throw; they are refused as what they are.
        foreach (var name in (ReadOnlySpan<string>)["iat", "exp", "nbf"])
        {
            if (jws.Payload.TryGetProperty(name, out var date) && !IsNumericDate(date))
            {
                return Refuse($"The client assertion's '{name}' is not a NumericDate between 0 and {MaxNumericDate} (RFC 7519 §2).");
            }
        }

        clients.TryGetValue(issuer, out var client);
        var keys = client?.Keys;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudiences = _audiences,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            IssuerSigningKeys = keys ?? Decoys[alg.GetString()!],
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,

            // Note: the dates are checked below, once the signature has verified. Microsoft.IdentityModel checks them
            // before it reports a kid that matches no key, which would tell an expired assertion sent under a key
            // client's id, without the key, from one sent under an unknown id.
            RequireExpirationTime = false,
            ValidateLifetime = false,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeyValidator = static (key, token, _) =>
                KeyAlgorithmBinding.Check(key, (token as JsonWebToken)?.Alg) is not { } problem
                    ? true
                    : throw new SecurityTokenInvalidSigningKeyException(problem) { SigningKey = key },
            ClockSkew = _skew,
            TryAllIssuerSigningKeys = true,
        };

        TokenValidationResult result;
        try
        {
            result = await s_handler.ValidateTokenAsync(assertion, parameters).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Note: ValidateTokenAsync reports failures in its result; anything thrown is unexpected, so fail closed.
            return Refuse($"The client assertion could not be validated ({ex.GetType().Name}).");
        }

        if (client is null || keys is null || !result.IsValid || result.SecurityToken is not JsonWebToken)
        {
            return Refuse(keys is null ? Failed : Describe(result.Exception));
        }

        // Note: as Microsoft.IdentityModel would (exp required, the skew on either side), on the endpoint's clock.
        var now = _time.GetUtcNow();
        if (Date(jws.Payload, "exp") is not { } expires)
        {
            return Refuse("The client assertion was refused: The token has no 'exp' claim.");
        }

        var notBefore = Date(jws.Payload, "nbf");
        if (notBefore > expires)
        {
            return Refuse("The client assertion was refused: The token's lifetime is invalid (nbf after exp).");
        }

        if (expires + _skew < now)
        {
            return Refuse("The client assertion was refused: The token has expired.");
        }

        if (notBefore - _skew > now)
        {
            return Refuse("The client assertion was refused: The token is not yet valid (nbf is in the future).");
        }

        if (expires - now > _maxLifetime + _skew)
        {
            return Refuse(string.Create(CultureInfo.InvariantCulture, $"The client assertion's 'exp' is more than {_maxLifetime.TotalSeconds:0} seconds away."));
        }

        if (Date(jws.Payload, "iat") > now + _skew)
        {
            return Refuse("The client assertion's 'iat' is in the future.");
        }

        // Note: remembered until the assertion can no longer be accepted anyway: its exp plus the clock skew. The key
        // is a hash of the client id and the jti, so it has one length whatever the client sent and two clients' jti
        // values never collide.
        var key = _replayPrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(client.Id + "\n" + jti)));
        bool first;
        try
        {
            first = await _replay.TryUseAsync(key, expires + _skew, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Note: fail closed. Only the exception's type is logged: a store's message may quote its configuration.
            TokenExchangeLog.ReplayStoreFailed(_logger, client.Id, ex.GetType().Name);
            return (null, TokenExchangeError.TemporarilyUnavailable("The client-assertion replay store did not answer; nothing was issued. Try again later."));
        }

        if (!first)
        {
            return Refuse("The client assertion's 'jti' has been used before; make a fresh assertion for each request (RFC 7523 §3).");
        }

        return (client, null);
    }

    private static (RegisteredClient?, TokenExchangeError?) Refuse(string description) => (null, TokenExchangeError.InvalidClient(description));

    /// <summary>
    /// A registered client's refused assertion: a key that verified the signature but may not sign with its algorithm
    /// is named (only the key's holder gets this far); anything else reads as an unknown client does.
    /// </summary>
    private static string Describe(Exception? exception) =>
        TokenValidationFailures.KindOf(exception) == TokenValidationFailures.Kind.InvalidSigningKey
            ? "The client assertion was refused: " + TokenValidationFailures.Classify(exception, s_wording).Message
            : Failed;

    /// <summary>A NumericDate claim (its range checked before), to the second, or null when absent.</summary>
    private static DateTimeOffset? Date(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(value.GetDouble())) : null;

    private static Dictionary<string, IReadOnlyList<JsonWebKey>> CreateDecoys()
    {
        // Note: JWKs, as a client's registered keys are, so that a decoy is verified the way they are.
        using var rsa = RSA.Create(2048);
        JsonWebKey[] rsaDecoy = [JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)))];
        var decoys = new Dictionary<string, IReadOnlyList<JsonWebKey>>(StringComparer.Ordinal)
        {
            ["ES256"] = [EcDecoy(ECCurve.NamedCurves.nistP256)],
            ["ES384"] = [EcDecoy(ECCurve.NamedCurves.nistP384)],
            ["ES512"] = [EcDecoy(ECCurve.NamedCurves.nistP521)],
        };
        foreach (var algorithm in Algorithms)
        {
            decoys.TryAdd(algorithm, rsaDecoy);
        }

        return decoys;
    }

    private static JsonWebKey EcDecoy(ECCurve curve)
    {
        // Note: the public half is not disposed: the JWK keeps it as its converted key and verifies with it.
        using var pair = ECDsa.Create(curve);
        return JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(pair.ExportParameters(false))));
    }

    /// <summary>Whether a claim is a JSON number from 0 to <see cref="MaxNumericDate"/> (RFC 7519 §2 allows fractions).</summary>
    private static bool IsNumericDate(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && double.IsFinite(seconds) && seconds >= 0 && seconds <= MaxNumericDate;

    private static string? StringClaim(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
