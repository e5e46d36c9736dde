using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// Validates a token fully with Microsoft.IdentityModel, then re-issues it under our issuer, key and <c>typ</c> in the
/// target scope shape. No path issues a token without validating it first (RFC 8725).
/// </summary>
/// <remarks>
/// <para>
/// Before validation, the token is refused when it is longer than <see cref="ScopeTokenConverterOptions.MaxTokenLength"/>
/// (before parsing), not a compact JWS (JWE unless enabled), its header or payload JSON names a property twice or nests
/// too deeply, <c>alg</c> is <c>none</c> in any casing, <c>crit</c> names anything (no extension is implemented),
/// it carries <c>jku</c>, <c>x5u</c> or <c>jwk</c> (never dereferenced nor trusted), its <c>iss</c> is not a configured
/// inbound issuer, or it is one of our own tokens (our <c>iss</c>, our <c>kid</c>, or a distinctive <c>typ</c> of ours).
/// </para>
/// <para>
/// Validation then requires a signature by one of the inbound issuer's keys with an allowed algorithm, the issuer, an
/// allowed audience, <c>exp</c> and a lifetime valid within the clock skew; <c>TokenValidationResult.IsValid</c> is checked.
/// </para>
/// <para>
/// The new token carries the source's scopes (normalized, optionally intersected with
/// <see cref="ScopeTokenConverterOptions.AllowedScopes"/>), its <c>sub</c> and the claims of
/// <see cref="ScopeTokenConverterOptions.CopiedClaims"/>; registered claims are never copied; <c>jti</c> is fresh; <c>exp</c>
/// is the earlier of the source's and now plus the maximum lifetime.
/// </para>
/// </remarks>
public sealed class ScopeTokenConverter : IScopeTokenConverter
{
    private static readonly HashSet<string> s_genericTypes = new(StringComparer.OrdinalIgnoreCase) { "JWT", "at+jwt", "application/jwt", "application/at+jwt" };
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    private readonly ScopeTokenConverterOptions _options;
    private readonly IScopeTokenIssuer _issuer;
    private readonly TimeProvider _time;
    private readonly ScopeNormalizer _normalizer;
    private readonly Dictionary<string, InboundIssuer> _inbound;
    private readonly ScopeSet? _allowed;
    private readonly TimeSpan? _maxLifetime;
    private readonly string? _ownType;

    /// <summary>Initializes a new instance of the <see cref="ScopeTokenConverter"/> class.</summary>
    /// <param name="options">The converter options; validated here, every problem reported at once.</param>
    /// <param name="issuer">The issuer that re-issues (our issuer, key, <c>typ</c> and scope shape).</param>
    /// <param name="timeProvider">The clock for the new token, or <see langword="null"/> for <see cref="TimeProvider.System"/>. Lifetime validation of the source uses the system clock, as Microsoft.IdentityModel does.</param>
    /// <param name="ownTokenType">The <c>typ</c> our issuer writes; a source token with this <c>typ</c> is refused unless the value is generic (<c>JWT</c>, <c>at+jwt</c>).</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public ScopeTokenConverter(ScopeTokenConverterOptions options, IScopeTokenIssuer issuer, TimeProvider? timeProvider = null, string? ownTokenType = null)
        : this(Options.DefaultName, options, issuer, timeProvider, ownTokenType)
    {
    }

    internal ScopeTokenConverter(string name, ScopeTokenConverterOptions options, IScopeTokenIssuer issuer, TimeProvider? timeProvider, string? ownTokenType)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(issuer);
        var result = ScopeTokenConverterOptionsValidator.Instance.Validate(name, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(name, typeof(ScopeTokenConverterOptions), result.Failures);
        }

        _options = options;
        _issuer = issuer;
        _time = timeProvider ?? TimeProvider.System;
        _normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = options.Limits, MaxJsonDepth = options.MaxJsonDepth });
        _inbound = options.Issuers.ToDictionary(static i => i.Issuer!, static i => new InboundIssuer(i), StringComparer.Ordinal);
        _allowed = options.AllowedScopes is null ? null : ScopeSet.Parse(options.AllowedScopes, options.Limits);
        _maxLifetime = options.MaxLifetime;
        _ownType = ownTokenType is null || s_genericTypes.Contains(ownTokenType) ? null : ownTokenType;
    }

    /// <inheritdoc/>
    public async Task<ScopeTokenConversion> ConvertAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var source = Inspect(token);
        var inbound = ResolveIssuer(source);

        // Note: Microsoft.IdentityModel enforces the allowlist too (ValidAlgorithms), but reports a refusal as a signature failure.
        if (source.Payload is not null && !inbound.Algorithms.Contains(source.Algorithm, StringComparer.Ordinal))
        {
            throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, $"The token's algorithm is not in the inbound issuer's allowlist ({string.Join(", ", inbound.Algorithms)}).");
        }

        var parameters = inbound.CreateParameters(source.KeyId is not null, _options.DecryptionKeys);
        if (inbound.Keys is { } keys && source.KeyId is { } kid && !keys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)))
        {
            throw Refuse(TokenConversionFailure.UnknownKey, "No key of the inbound issuer has the token's kid.");
        }

        TokenValidationResult result;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            result = await s_handler.ValidateTokenAsync(token, parameters).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Note: ValidateTokenAsync reports failures in its result; anything thrown is unexpected, so fail closed.
            throw Refuse(TokenConversionFailure.Invalid, "The token could not be validated.", ex);
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken validated)
        {
            throw Classify(result.Exception);
        }

        ScopeSet scopes;
        try
        {
            scopes = _normalizer.Read(validated);
        }
        catch (ScopeFormatException ex)
        {
            throw Refuse(TokenConversionFailure.InvalidScope, $"The token's scopes are refused: {ex.Message}", ex);
        }

        if (_allowed is not null)
        {
            scopes = scopes.Intersect(_allowed);
        }

        var request = new ScopeTokenRequest(scopes)
        {
            Subject = string.IsNullOrEmpty(validated.Subject) ? null : validated.Subject,
            NotAfter = new DateTimeOffset(validated.ValidTo, TimeSpan.Zero),
            Lifetime = _maxLifetime,
            Claims = CopyClaims(source.Payload),
        };

        string issued;
        try
        {
            issued = _issuer.Issue(request);
        }
        catch (ArgumentException ex)
        {
            // The source expires within the clock skew or this second: nothing useful can be issued.
            throw Refuse(TokenConversionFailure.Expired, "The token expires too soon to be converted.", ex);
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(new JsonWebToken(issued).GetPayloadValue<long>(JwtRegisteredClaimNames.Exp));
        return new ScopeTokenConversion(issued, scopes, inbound.Issuer, request.Subject, expiresAt);
    }

    private SourceToken Inspect(string token)
    {
        if (token.Length > _options.MaxTokenLength)
        {
            throw Refuse(TokenConversionFailure.Oversized, $"The token is {token.Length} characters long; the limit is {_options.MaxTokenLength} (ScopeTokenConverterOptions.MaxTokenLength).");
        }

        var parts = token.Split('.');
        if (parts.Length == 5)
        {
            if (!_options.AllowEncryptedTokens)
            {
                throw Refuse(TokenConversionFailure.EncryptedTokenNotAllowed, "The token is encrypted (JWE); set ScopeTokenConverterOptions.AllowEncryptedTokens and DecryptionKeys to accept it.");
            }

            // Note: the encrypted payload is checked by Microsoft.IdentityModel after decryption; only the protected header is inspected here.
            var jweHeader = Decode(parts[0], "header");
            CheckHeader(jweHeader, encrypted: true);
            return new SourceToken(jweHeader, null);
        }

        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token is not a compact JWS (three base64url parts separated by dots).");
        }

        if (parts[2].Length == 0)
        {
            throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, "The token is unsigned; a signature is required.");
        }

        var header = Decode(parts[0], "header");
        CheckHeader(header, encrypted: false);
        return new SourceToken(header, Decode(parts[1], "payload"));
    }

    private JsonElement Decode(string part, string what)
    {
        byte[] json;
        try
        {
            json = Base64UrlEncoder.DecodeBytes(part);
        }
        catch (FormatException ex)
        {
            throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not valid base64url.", ex);
        }

        switch (JsonGuard.Check(json, _options.MaxJsonDepth))
        {
            case JsonGuard.Verdict.Ok:
                break;
            case JsonGuard.Verdict.DuplicateKey:
                throw Refuse(TokenConversionFailure.DuplicateJsonKey, $"The token {what} names a JSON property more than once.");
            case JsonGuard.Verdict.TooDeep:
                throw Refuse(TokenConversionFailure.NestingTooDeep, $"The token {what} nests JSON deeper than {_options.MaxJsonDepth} levels.");
            default:
                throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not one JSON object.");
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static void CheckHeader(JsonElement header, bool encrypted)
    {
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token header has no string 'alg'.");
        }

        if (string.Equals(alg.GetString(), "none", StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, "The token is unsigned (alg 'none'); a signature is required.");
        }

        if (header.TryGetProperty("crit", out _))
        {
            throw Refuse(TokenConversionFailure.UnsupportedCriticalHeader, "The token header marks extensions as critical ('crit'); none is implemented, so it must be refused (RFC 7515 §4.1.11).");
        }

        foreach (var name in new[] { "jku", "x5u", "jwk" })
        {
            if (header.TryGetProperty(name, out _))
            {
                throw Refuse(TokenConversionFailure.UntrustedKeyReference, $"The token header carries '{name}'; key references in a token are never dereferenced nor trusted (RFC 8725 §3.10).");
            }
        }

        if (!encrypted && header.TryGetProperty("zip", out _))
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token header carries 'zip', which a JWS must not.");
        }
    }

    private InboundIssuer ResolveIssuer(SourceToken source)
    {
        if (source.Header.TryGetProperty("kid", out var kidElement) && kidElement.ValueKind == JsonValueKind.String
            && _issuer.Keys.Keys.Any(k => string.Equals(k.KeyId, kidElement.GetString(), StringComparison.Ordinal)))
        {
            throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token is signed with one of our own keys; a converted token is never converted again.");
        }

        if (_ownType is not null && source.Header.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String
            && string.Equals(typ.GetString(), _ownType, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token has our own 'typ'; a converted token is never converted again.");
        }

        if (source.Payload is not { } payload)
        {
            // JWE: the issuer is only known after decryption; accept it only when a single inbound issuer is configured.
            return _inbound.Count == 1
                ? _inbound.Values.First()
                : throw Refuse(TokenConversionFailure.WrongIssuer, "An encrypted token can only be converted when exactly one inbound issuer is configured.");
        }

        if (!payload.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String)
        {
            throw Refuse(TokenConversionFailure.WrongIssuer, "The token has no string 'iss' claim.");
        }

        var issuer = iss.GetString()!;
        if (string.Equals(issuer, _issuer.Issuer, StringComparison.Ordinal))
        {
            throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token was issued by our own issuer; a converted token is never converted again.");
        }

        return _inbound.TryGetValue(issuer, out var inbound)
            ? inbound
            : throw Refuse(TokenConversionFailure.WrongIssuer, "The token's issuer is not a configured inbound issuer (ScopeTokenConverterOptions.Issuers).");
    }

    private Dictionary<string, object>? CopyClaims(JsonElement? payload)
    {
        if (payload is not { } claims || _options.CopiedClaims.Count == 0)
        {
            return null;
        }

        Dictionary<string, object>? copied = null;
        foreach (var name in _options.CopiedClaims)
        {
            if (claims.TryGetProperty(name, out var value) && value.ValueKind is not JsonValueKind.Null)
            {
                (copied ??= new Dictionary<string, object>(StringComparer.Ordinal))[name] = value.Clone();
            }
        }

        return copied;
    }

    private static TokenConversionException Classify(Exception? exception)
    {
        var (reason, message) = exception switch
        {
            SecurityTokenExpiredException => (TokenConversionFailure.Expired, "The token has expired."),
            SecurityTokenNotYetValidException => (TokenConversionFailure.NotYetValid, "The token is not yet valid (nbf is in the future)."),
            SecurityTokenNoExpirationException => (TokenConversionFailure.InvalidLifetime, "The token has no 'exp' claim."),
            SecurityTokenInvalidLifetimeException => (TokenConversionFailure.InvalidLifetime, "The token's lifetime is invalid (nbf after exp)."),
            SecurityTokenInvalidIssuerException => (TokenConversionFailure.WrongIssuer, "The token's issuer is not accepted."),
            SecurityTokenInvalidAudienceException => (TokenConversionFailure.WrongAudience, "The token's audience is not one the inbound issuer allows."),
            SecurityTokenInvalidAlgorithmException => (TokenConversionFailure.AlgorithmNotAllowed, "The token's algorithm is not in the inbound issuer's allowlist."),
            SecurityTokenInvalidTypeException => (TokenConversionFailure.WrongTokenType, "The token's 'typ' is not one the inbound issuer allows."),
            SecurityTokenSignatureKeyNotFoundException => (TokenConversionFailure.UnknownKey, "No key of the inbound issuer matches the token's kid."),
            SecurityTokenInvalidSignatureException => (TokenConversionFailure.InvalidSignature, "The token's signature does not verify."),
            SecurityTokenDecryptionFailedException => (TokenConversionFailure.Invalid, "The encrypted token could not be decrypted."),
            SecurityTokenMalformedException => (TokenConversionFailure.Malformed, "The token is malformed."),
            InvalidOperationException or System.Net.Http.HttpRequestException or System.IO.IOException
                => (TokenConversionFailure.KeysUnavailable, "The inbound issuer's keys could not be obtained (its OpenID Connect metadata or JWKS is unavailable or invalid)."),
            _ => (TokenConversionFailure.Invalid, "The token failed validation."),
        };

        // Note: Microsoft.IdentityModel's own exception is not attached: with PII logging on, its message can quote the
        // token. Its IDX code and type are kept for diagnosis.
        return Refuse(reason, exception is null ? message : $"{message} ({exception.GetType().Name}{IdentityModelCode(exception.Message)})");
    }

    private static string IdentityModelCode(string message) =>
        message.StartsWith("IDX", StringComparison.Ordinal) && message.Length >= 8 ? ", " + message[..8] : string.Empty;

    private static TokenConversionException Refuse(TokenConversionFailure reason, string message, Exception? inner = null) => new(reason, message, inner);

    private readonly record struct SourceToken(JsonElement Header, JsonElement? Payload)
    {
        public string? KeyId => Header.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;

        public string Algorithm => Header.GetProperty("alg").GetString()!;
    }
}
