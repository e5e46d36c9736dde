using System;
using System.Collections.Generic;
using System.Diagnostics;
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
/// Issues signed compact JWS tokens for one profile through Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>,
/// with the scopes in the profile's shape.
/// </summary>
/// <remarks>
/// Every token is signed with the key <see cref="SigningKeySet.GetSigningKey"/> names for the time of issue (never <c>alg: none</c>) and carries <c>iss</c>,
/// <c>aud</c>, <c>iat</c>, <c>nbf</c> and <c>exp</c> from the <see cref="TimeProvider"/>, a fresh <c>jti</c> of 128
/// random bits (unless disabled), the <c>typ</c> header of the profile and the key's <c>kid</c>. Thread-safe.
/// </remarks>
/// <example>
/// <code>
/// var options = new ScopeTokenOptions { Issuer = "https://issuer.example", SigningKeys = new SigningKeySet(TokenSigningKey.Generate("ES256")) };
/// options.Audiences.Add("https://partner.example");
/// var issuer = new ScopeTokenIssuer(options);
/// string token = issuer.Issue(ScopeSet.Parse("read:a write:b"));   // "scope": ["read:a", "write:b"]
/// </code>
/// </example>
public sealed partial class ScopeTokenIssuer : IScopeTokenIssuer
{

    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _maxLifetime;
    private readonly bool _includeJwtId;
    private readonly string _tokenType;
    private readonly ScopeLimits _limits;
    private readonly IScopeSerializer _serializer;
    private readonly string[] _serializerClaims;
    private readonly TimeProvider _time;
    private readonly string[] _audiences;

    /// <summary>The profile's audiences, for the converter's check of a narrowed conversion's audiences.</summary>
    internal IReadOnlyList<string> ProfileAudiences => _audiences;
    private readonly JsonEncodedText _encodedIssuer;
    private readonly JsonEncodedText[] _encodedAudiences;
    private readonly string _name;
    private readonly string _formatTag;
    private readonly ScopeClaimsMetrics _metrics;
    private volatile EncodedHeader? _header;

    /// <summary>Initializes a new instance of the <see cref="ScopeTokenIssuer"/> class.</summary>
    /// <param name="options">The profile; validated here, every problem reported at once.</param>
    /// <param name="serializer">
    /// The scope serializer, or <see langword="null"/> for the one <see cref="ScopeTokenOptions.Format"/> names. Its
    /// <see cref="IScopeSerializer.ClaimNames"/> are read once, here.
    /// </param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="ArgumentException">
    /// The serializer declares no claim name, an empty one, two that differ only in case, or a registered or
    /// profile-owned claim (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>nbf</c>, <c>iat</c>, <c>jti</c>,
    /// <c>typ</c>, <c>cty</c>, in any letter case).
    /// </exception>
    public ScopeTokenIssuer(ScopeTokenOptions options, IScopeSerializer? serializer = null, TimeProvider? timeProvider = null)
        : this(Options.DefaultName, options, ValidateAndLoadKeys(Options.DefaultName, options), serializer, timeProvider, ScopeClaimsMetrics.Shared)
    {
    }

    /// <summary>Makes the issuer of a profile from options already validated and the keys their validation loaded.</summary>
    /// <param name="name">The profile name, for messages.</param>
    /// <param name="options">The profile, validated (see <see cref="ScopeTokenIssuerFactory"/>).</param>
    /// <param name="keys">The keys <see cref="ProfileSigningKeys"/> resolved for the profile.</param>
    /// <param name="serializer">The scope serializer, or <see langword="null"/> for the format's.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="metrics">The instruments of the host's <c>ScopeClaims</c> meter.</param>
    internal ScopeTokenIssuer(string name, ScopeTokenOptions options, SigningKeySet keys, IScopeSerializer? serializer, TimeProvider? timeProvider, ScopeClaimsMetrics metrics)
    {
        _name = name;
        _metrics = metrics;

        // Note: a serializer of the host's own is reported as "custom": its type name is not a bounded tag value.
        _formatTag = serializer is null ? TelemetryNames.Of(options.Format) : "custom";
        // Note: the validated values are copied, so changing the options object later cannot bypass validation.
        _lifetime = options.Lifetime;
        _maxLifetime = options.MaxLifetime;
        _includeJwtId = options.IncludeJwtId;
        _tokenType = options.TokenType;
        _limits = new ScopeLimits { MaxScopes = options.Limits.MaxScopes, MaxScopeLength = options.Limits.MaxScopeLength, MaxTotalLength = options.Limits.MaxTotalLength };
        Keys = keys;
        _serializer = serializer ?? CreateSerializer(options);
        var problems = ClaimNameRules.CheckSerializer(_serializer, out _serializerClaims);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The scope serializer cannot be used ({(name.Length == 0 ? "the default profile" : $"profile '{name}'")}): {string.Join(" ", problems)}", nameof(serializer));
        }

        _time = timeProvider ?? TimeProvider.System;
        _audiences = options.Audiences.ToArray();
        Issuer = options.Issuer!;

        // Note: the issuer and the configured audiences are escaped once, here, rather than in every token.
        _encodedIssuer = JsonEncodedText.Encode(Issuer);
        _encodedAudiences = _audiences.Select(static a => JsonEncodedText.Encode(a)).ToArray();
    }

    /// <summary>For an issuer made in code: validates the options, every problem at once, and loads the key once.</summary>
    private static SigningKeySet ValidateAndLoadKeys(string name, ScopeTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new ProfileSigningKeys();
        var result = new ScopeTokenOptionsValidator(keys).Validate(name, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(name, typeof(ScopeTokenOptions), result.Failures);
        }

        return keys.Resolve(name, options);
    }

    /// <inheritdoc/>
    public string Issuer { get; }

    /// <inheritdoc/>
    public SigningKeySet Keys { get; }

    /// <inheritdoc/>
    public string TokenType => _tokenType;

    /// <summary>Gets the scope serializer in use.</summary>
    public IScopeSerializer Serializer => _serializer;

    /// <summary>Creates the serializer a profile's <see cref="ScopeTokenOptions.Format"/> names.</summary>
    /// <param name="options">The profile.</param>
    /// <returns>The serializer.</returns>
    public static IScopeSerializer CreateSerializer(ScopeTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Format switch
        {
            ScopeFormat.Array => new ArrayScopeSerializer(options.ClaimName, options.WriteEmptyArray),
            ScopeFormat.SpaceDelimited => new SpaceDelimitedScopeSerializer(options.ClaimName),
            ScopeFormat.Both => new CombinedScopeSerializer(options.ClaimName, options.ArrayClaimName, options.WriteEmptyArray),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "Unknown scope format."),
        };
    }

    /// <inheritdoc/>
    public string Issue(ScopeTokenRequest request) => IssueCore(request, allowFastPath: true, out _);

    /// <inheritdoc/>
    public string Issue(ScopeTokenRequest request, out DateTimeOffset expiresAt)
    {
        var token = IssueCore(request, allowFastPath: true, out var exp);
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        return token;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A key held in memory, or by a <see cref="TokenSigner"/> that signs synchronously, signs inline and the returned
    /// task is already complete; a remote signer is awaited. The request is checked in full before anything is signed.
    /// </remarks>
    public ValueTask<IssuedScopeToken> IssueAsync(ScopeTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IssuedScopeToken>(cancellationToken);
        }

        var started = _metrics.IssueDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        Prepared prepared;
        try
        {
            prepared = Prepare(request);
            if (prepared.Key.CanSignSynchronously)
            {
                var token = SignNow(prepared, allowFastPath: true);
                Completed(prepared.Key, started);
                return new ValueTask<IssuedScopeToken>(new IssuedScopeToken(token, prepared.Expires));
            }
        }
        catch (Exception ex)
        {
            Failed(ex, started);
            return ValueTask.FromException<IssuedScopeToken>(ex);
        }

        return IssueRemotelyAsync(prepared, started, cancellationToken);
    }

    /// <summary>Issues through <see cref="JsonWebTokenHandler.CreateToken(SecurityTokenDescriptor)"/> only; the reference the fast path is tested against.</summary>
    internal string IssueWithHandler(ScopeTokenRequest request) => IssueCore(request, allowFastPath: false, out _);

    private string IssueCore(ScopeTokenRequest request, bool allowFastPath, out long exp)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Note: with no listener this is two field reads and two flag checks; no clock is read and no tag is built.
        if (!_metrics.IssueDuration.Enabled)
        {
            var prepared = Prepare(request);
            var token = SignNow(prepared, allowFastPath);
            CountIssued(prepared.Key);
            exp = prepared.Expires.ToUnixTimeSeconds();
            return token;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var prepared = Prepare(request);
            var token = SignNow(prepared, allowFastPath);
            Completed(prepared.Key, started);
            exp = prepared.Expires.ToUnixTimeSeconds();
            return token;
        }
        catch (Exception ex)
        {
            Failed(ex, started);
            throw;
        }
    }

    private async ValueTask<IssuedScopeToken> IssueRemotelyAsync(Prepared prepared, long started, CancellationToken cancellationToken)
    {
        try
        {
            var token = await SignRemotelyAsync(prepared, cancellationToken).ConfigureAwait(false);
            Completed(prepared.Key, started);
            return new IssuedScopeToken(token, prepared.Expires);
        }
        catch (Exception ex)
        {
            Failed(ex, started);
            throw;
        }
    }

    private void Completed(TokenSigningKey key, long started)
    {
        CountIssued(key);
        var duration = _metrics.IssueDuration;
        if (started != 0 && duration.Enabled)
        {
            duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new(TelemetryNames.Profile, _name), new(TelemetryNames.Algorithm, key.Algorithm));
        }
    }

    private void Failed(Exception ex, long started)
    {
        var duration = _metrics.IssueDuration;
        if (started != 0 && duration.Enabled)
        {
            duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new(TelemetryNames.Profile, _name), new(TelemetryNames.Algorithm, Keys.Active.Algorithm), new(TelemetryNames.ErrorType, ex.GetType().FullName));
        }
    }

    private void CountIssued(TokenSigningKey key)
    {
        var issued = _metrics.TokensIssued;
        if (issued.Enabled)
        {
            issued.Add(1, new(TelemetryNames.Profile, _name), new(TelemetryNames.Algorithm, key.Algorithm), new(TelemetryNames.ScopeFormat, _formatTag));
        }
    }

    /// <summary>Checks a request in full and fixes what the token will say: nothing is signed here.</summary>
    private Prepared Prepare(ScopeTokenRequest request)
    {
        var lifetime = request.Lifetime ?? _lifetime;
        if (lifetime < OptionRules.MinLifetime || lifetime > _maxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(request), lifetime, $"The token lifetime must be at least 1 second and at most ScopeTokenOptions.MaxLifetime ({_maxLifetime}).");
        }

        CheckLimits(request.Scopes);

        var now = _time.GetUtcNow();
        var expires = now + lifetime;
        if (request.NotAfter is { } notAfter && notAfter < expires)
        {
            expires = notAfter;
        }

        // Note: JWT times have one-second precision; a token that would expire within its first second is refused.
        if (expires.ToUnixTimeSeconds() <= now.ToUnixTimeSeconds())
        {
            throw new ArgumentException("The token would already be expired: NotAfter is not later than now.", nameof(request));
        }

        IReadOnlyList<string> audiences = _audiences;
        if (request.Audiences is { } requested)
        {
            if (requested.Count == 0 || requested.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException("At least one non-empty audience is required.", nameof(request));
            }

            audiences = requested;
        }

        if (request.Subject is { } subject)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(subject, nameof(request));
        }

        if (request.Claims is { } extra)
        {
            CheckExtraClaims(extra);
        }

        return new Prepared(request, audiences, now, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()), Keys.GetSigningKey(now));
    }

    private string SignNow(in Prepared prepared, bool allowFastPath)
    {
        var key = prepared.Key;
        if (allowFastPath && _serializer is IUtf8ScopeWriter scopeWriter && FastTokenWriter.CanWrite(prepared.Request.Claims))
        {
            return FastTokenWriter.Write(HeaderFor(key), key, PayloadOf(prepared, scopeWriter));
        }

        if (key.Signer is null)
        {
            return IssueWithDescriptor(prepared.Request, prepared.Audiences, prepared.Now, prepared.Expires, key);
        }

        // Note: a key held by a signer signs the payload Microsoft.IdentityModel wrote under this issuer's own header.
        var input = FastTokenWriter.RentSigningInput(HeaderFor(key), PayloadWithDescriptor(prepared), key.MaxSignatureSize, out var length);
        try
        {
            return FastTokenWriter.SignAndCompose(key, input, length);
        }
        finally
        {
            FastTokenWriter.ReturnSigningInput(input);
        }
    }

    private async ValueTask<string> SignRemotelyAsync(Prepared prepared, CancellationToken cancellationToken)
    {
        var key = prepared.Key;
        var input = _serializer is IUtf8ScopeWriter scopeWriter && FastTokenWriter.CanWrite(prepared.Request.Claims)
            ? FastTokenWriter.RentSigningInput(HeaderFor(key), key.MaxSignatureSize, PayloadOf(prepared, scopeWriter), out var length)
            : FastTokenWriter.RentSigningInput(HeaderFor(key), PayloadWithDescriptor(prepared), key.MaxSignatureSize, out length);
        try
        {
            var signatureLength = await key.SignAsync(input.AsMemory(0, length), input.AsMemory(length, key.MaxSignatureSize), cancellationToken).ConfigureAwait(false);
            return FastTokenWriter.Compose(input, length, signatureLength);
        }
        finally
        {
            FastTokenWriter.ReturnSigningInput(input);
        }
    }

    private FastTokenWriter.Payload PayloadOf(in Prepared prepared, IUtf8ScopeWriter scopeWriter) => new()
    {
        Issuer = _encodedIssuer,
        Audiences = ReferenceEquals(prepared.Audiences, _audiences) ? _encodedAudiences : prepared.Audiences.Select(static a => JsonEncodedText.Encode(a)).ToArray(),
        Subject = prepared.Request.Subject,
        IncludeJwtId = _includeJwtId,
        Claims = prepared.Request.Claims,
        Scopes = scopeWriter,
        ScopeSet = prepared.Request.Scopes,
        IssuedAt = prepared.Now.ToUnixTimeSeconds(),
        Expires = prepared.Expires.ToUnixTimeSeconds(),
    };

    private byte[] HeaderFor(TokenSigningKey key)
    {
        // Note: the encoded header depends only on the key and typ; it is rebuilt when the active key rotates.
        var cached = _header;
        if (cached is not null && ReferenceEquals(cached.Key, key))
        {
            return cached.Encoded;
        }

        var fresh = new EncodedHeader(key, FastTokenWriter.EncodeHeader(key, _tokenType));
        _header = fresh;
        return fresh.Encoded;
    }

    private sealed record EncodedHeader(TokenSigningKey Key, byte[] Encoded);

    /// <summary>A checked request: what the token says and the key that signs it.</summary>
    private readonly record struct Prepared(ScopeTokenRequest Request, IReadOnlyList<string> Audiences, DateTimeOffset Now, DateTimeOffset Expires, TokenSigningKey Key);
}
