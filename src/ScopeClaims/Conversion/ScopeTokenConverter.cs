using System;
using System.Buffers;
#if NET9_0_OR_GREATER
using System.Buffers.Text;
#endif
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
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
    // Note: a decoded header or payload up to this size is scanned from the stack.
    private const int StackBytes = 1024;

    // Note: 9999-12-31T23:59:59Z, the last second DateTimeOffset represents.
    private const long MaxNumericDate = 253402300799;

    private static readonly HashSet<string> s_genericTypes = new(StringComparer.OrdinalIgnoreCase) { "JWT", "at+jwt" };
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    private readonly ScopeTokenConverterOptions _options;
    private readonly IScopeTokenIssuer _issuer;
    private readonly TimeProvider _time;
    private readonly ScopeNormalizer _normalizer;
    private readonly Dictionary<string, InboundIssuer> _inbound;
    private readonly ScopeSet? _allowed;
    private readonly TimeSpan? _maxLifetime;
    private readonly string? _ownType;
    private readonly (string Name, byte[] Utf8)[] _copied;

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
        _normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = options.Limits, MaxJsonDepth = options.MaxJsonDepth, MaxPayloadLength = Math.Max(options.MaxTokenLength, 2) });
        _inbound = options.Issuers.ToDictionary(static i => i.Issuer!, static i => new InboundIssuer(i), StringComparer.Ordinal);
        _allowed = options.AllowedScopes is null ? null : ScopeSet.Parse(options.AllowedScopes, options.Limits);
        _maxLifetime = options.MaxLifetime;
        _ownType = ownTokenType is null || s_genericTypes.Contains(MediaType(ownTokenType)) ? null : MediaType(ownTokenType);
        _copied = options.CopiedClaims.Select(static c => (c, System.Text.Encoding.UTF8.GetBytes(c))).ToArray();
    }

    /// <inheritdoc/>
    public async Task<ScopeTokenConversion> ConvertAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);

        // Note: a JWS payload is read once, here; what it says is used only once validation has succeeded.
        var source = Inspect(token, out var facts);
        var inbound = ResolveIssuer(source, facts);

        // Note: Microsoft.IdentityModel enforces the allowlist too (ValidAlgorithms), but reports a refusal as a signature failure.
        if (!source.Encrypted && Array.IndexOf(inbound.Algorithms, source.Algorithm) < 0)
        {
            throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, $"The token's algorithm is not in the inbound issuer's allowlist ({string.Join(", ", inbound.Algorithms)}).");
        }

        if (inbound.Keys is { } keys && source.KeyId is { } kid && !HasKey(keys, kid))
        {
            throw Refuse(TokenConversionFailure.UnknownKey, "No key of the inbound issuer has the token's kid.");
        }

        if (inbound.ConfigurationManager is { } metadata)
        {
            // Note: fetched here so that the caller's cancellation is honoured and an unreachable authority is reported
            // as such; validation then uses the configuration this call cached.
            try
            {
                await metadata.GetConfigurationAsync(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Net.Http.HttpRequestException or System.IO.IOException or OperationCanceledException)
            {
                throw Refuse(TokenConversionFailure.KeysUnavailable, $"The inbound issuer's OpenID Connect metadata or JWKS could not be obtained ({ex.GetType().Name}).");
            }
        }

        TokenValidationResult result;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            result = await s_handler.ValidateTokenAsync(token, inbound.Parameters(source.KeyId is not null, _options.DecryptionKeys)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Note: ValidateTokenAsync reports failures in its result; anything thrown is unexpected, so fail closed.
            throw Refuse(TokenConversionFailure.Invalid, $"The token could not be validated ({ex.GetType().Name}).");
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken validated)
        {
            throw Classify(result.Exception);
        }

        // A JWE carries the signed token inside: its header and payload are held to every rule of a JWS once decrypted
        // (nothing has been issued yet, so refusing here is still refusing before conversion).
        var signed = validated.InnerToken ?? validated;
        if (source.Encrypted)
        {
            var inner = ReadHeader(signed.EncodedHeader, encrypted: false);
            RefuseOwnToken(inner);
            if (Array.IndexOf(inbound.Algorithms, inner.Algorithm) < 0)
            {
                throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, $"The encrypted token's inner algorithm is not in the inbound issuer's allowlist ({string.Join(", ", inbound.Algorithms)}).");
            }

            CheckAlphabet(signed.EncodedSignature, "signature");
            facts = ReadPayload(signed.EncodedPayload);
        }

        if (facts.ScopeError is { } error)
        {
            throw Refuse(TokenConversionFailure.InvalidScope, $"The token's scopes are refused: {error.Message}", error);
        }

        var scopes = facts.Scopes!;

        if (_allowed is not null)
        {
            scopes = scopes.Intersect(_allowed);
        }

        // Note: JWT times are whole seconds; a source that expires within this second cannot yield a useful token.
        var notAfter = new DateTimeOffset(signed.ValidTo, TimeSpan.Zero);
        if (notAfter.ToUnixTimeSeconds() <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            throw Refuse(TokenConversionFailure.Expired, "The token expires too soon to be converted.");
        }

        var request = new ScopeTokenRequest(scopes)
        {
            Subject = facts.Subject,
            NotAfter = notAfter,
            Lifetime = _maxLifetime,
            Claims = facts.Copied,
        };

        string issued;
        DateTimeOffset expiresAt;
        try
        {
            if (_issuer is ScopeTokenIssuer ours)
            {
                issued = ours.Issue(request, out expiresAt);
            }
            else
            {
                issued = _issuer.Issue(request);
                expiresAt = DateTimeOffset.FromUnixTimeSeconds(new JsonWebToken(issued).GetPayloadValue<long>(JwtRegisteredClaimNames.Exp));
            }
        }
        catch (ScopeFormatException ex)
        {
            // Note: the target profile's own scope limits, tighter than the converter's (a host refuses that at start).
            throw Refuse(TokenConversionFailure.InvalidScope, $"The token's scopes exceed the target profile's limits: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // Note: the issuer's own messages name the rule, never a value (the copied claims and subject were read
            // from a validated token, so this is a rule of our profile the source does not meet).
            throw Refuse(TokenConversionFailure.Invalid, $"The token cannot be re-issued under the target profile: {ex.Message}");
        }

        return new ScopeTokenConversion(issued, scopes, inbound.Issuer, request.Subject, expiresAt);
    }

    private static bool HasKey(SecurityKey[] keys, string kid)
    {
        foreach (var key in keys)
        {
            if (string.Equals(key.KeyId, kid, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private SourceToken Inspect(string token, out PayloadFacts facts)
    {
        if (token.Length > _options.MaxTokenLength)
        {
            throw Refuse(TokenConversionFailure.Oversized, $"The token is {token.Length} characters long; the limit is {_options.MaxTokenLength} (ScopeTokenConverterOptions.MaxTokenLength).");
        }

        facts = default;
        var span = token.AsSpan();
        var dots = span.Count('.');
        if (dots == 4)
        {
            if (!_options.AllowEncryptedTokens)
            {
                throw Refuse(TokenConversionFailure.EncryptedTokenNotAllowed, "The token is encrypted (JWE); set ScopeTokenConverterOptions.AllowEncryptedTokens and DecryptionKeys to accept it.");
            }

            // Note: the encrypted payload is checked after Microsoft.IdentityModel decrypts it; only the protected header is read here.
            return ReadHeader(span[..span.IndexOf('.')], encrypted: true);
        }

        var first = span.IndexOf('.');
        var last = span.LastIndexOf('.');
        if (dots != 2 || first == 0 || last == first + 1)
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token is not a compact JWS (three base64url parts separated by dots).");
        }

        if (last == token.Length - 1)
        {
            throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, "The token is unsigned; a signature is required.");
        }

        var header = ReadHeader(span[..first], encrypted: false);
        facts = ReadPayload(span[(first + 1)..last]);

        // Note: the signature is decoded by Microsoft.IdentityModel, whose decoder tolerates padding; the alphabet is checked here.
        CheckAlphabet(span[(last + 1)..], "signature");
        return header;
    }

    private SourceToken ReadHeader(ReadOnlySpan<char> encoded, bool encrypted)
    {
        var header = new HeaderReader(encrypted);
        Read(encoded, "header", ref header);
        if (header.Problem is { } problem)
        {
            throw problem;
        }

        if (header.Algorithm is not { } alg)
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token header has no 'alg'.");
        }

        if (string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, "The token is unsigned (alg 'none'); a signature is required.");
        }

        // Note: a JWE header's kid names the decryption key, not a signing key; the inner token's kid is checked by validation.
        return new SourceToken(alg, encrypted ? null : header.KeyId, header.Type, encrypted);
    }

    /// <summary>
    /// Reads what the converter needs from a payload in the pass that guards it: the issuer, the scopes (or why they are
    /// refused), and the claims to copy.
    /// </summary>
    private PayloadFacts ReadPayload(ReadOnlySpan<char> encoded)
    {
        var payload = new PayloadReader(this);
        Read(encoded, "payload", ref payload);
        if (payload.Malformed)
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token payload is not well-formed JSON.");
        }

        if (payload.Problem is { } problem)
        {
            throw problem;
        }

        var scopeError = payload.ScopeError;
        ScopeSet? scopes = null;
        if (scopeError is null)
        {
            try
            {
                scopes = _normalizer.Combine(payload.Found);
            }
            catch (ScopeFormatException ex)
            {
                scopeError = ex;
            }
        }

        var issuer = payload.Issuer;
        return new PayloadFacts(issuer, issuer is null ? payload.IssuerProblem ?? "The token has no 'iss' claim." : null, payload.Subject, scopes, scopeError, payload.Copied);
    }

    /// <summary>
    /// Decodes one part of the token and scans its JSON once: refused unless it is strict base64url of valid UTF-8 holding
    /// one JSON object with no duplicate names and bounded depth; <paramref name="visitor"/> sees its top-level properties.
    /// </summary>
    [SkipLocalsInit]
    private void Read<TVisitor>(ReadOnlySpan<char> part, string what, ref TVisitor visitor)
        where TVisitor : struct, IJsonPropertyVisitor
    {
        CheckAlphabet(part, what);

        byte[]? rented = null;
#if NET9_0_OR_GREATER
        var maxLength = Base64Url.GetMaxDecodedLength(part.Length);
        var buffer = maxLength <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
#endif
        try
        {
            scoped Span<byte> json;
            try
            {
#if NET9_0_OR_GREATER
                json = buffer[..Base64Url.DecodeFromChars(part, buffer)];
#else
                json = Base64UrlEncoder.DecodeBytes(part.ToString());
#endif
            }
            catch (FormatException ex)
            {
                throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not valid base64url.", ex);
            }

            // Note: JSON strings are transcoded as they are read (alg, kid, iss); invalid UTF-8 is refused here, once, for the whole part.
            if (!System.Text.Unicode.Utf8.IsValid(json))
            {
                throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not valid UTF-8.");
            }

            switch (JsonGuard.Check(json, _options.MaxJsonDepth, ref visitor))
            {
                case JsonGuard.Verdict.Ok:
                    return;
                case JsonGuard.Verdict.DuplicateKey:
                    throw Refuse(TokenConversionFailure.DuplicateJsonKey, $"The token {what} names a JSON property more than once.");
                case JsonGuard.Verdict.TooDeep:
                    throw Refuse(TokenConversionFailure.NestingTooDeep, $"The token {what} nests JSON deeper than {_options.MaxJsonDepth} levels.");
                case JsonGuard.Verdict.InvalidString:
                    throw Refuse(TokenConversionFailure.Malformed, $"The token {what} holds a string that is not valid Unicode (an escaped lone surrogate).");
                default:
                    throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not one JSON object.");
            }
        }
        finally
        {
            if (rented is not null)
            {
                // Note: cleared, so that a decrypted payload never reaches the pool's next renter.
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>
    /// Refuses a part that is not canonical unpadded base64url: padding, whitespace or '+' and '/' (which lenient decoders
    /// accept), a length no encoding produces, and non-zero unused bits in the last character.
    /// </summary>
    private static void CheckAlphabet(ReadOnlySpan<char> part, string what)
    {
        if (Base64UrlText.Problem(part) is { } problem)
        {
            throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not valid base64url ({problem}).");
        }
    }

    /// <summary>RFC 7515 §4.1.9: <c>typ</c> is a media type, compared case-insensitively, with <c>application/</c> optional.</summary>
    private static string MediaType(string type)
    {
        var value = type.AsSpan().Trim();
        if (value.StartsWith("application/", StringComparison.OrdinalIgnoreCase))
        {
            value = value["application/".Length..];
        }

        return value.ToString();
    }

    private void RefuseOwnToken(SourceToken source)
    {
        if (source.KeyId is { } kid)
        {
            foreach (var key in _issuer.Keys.Keys)
            {
                if (string.Equals(key.KeyId, kid, StringComparison.Ordinal))
                {
                    throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token is signed with one of our own keys; a converted token is never converted again.");
                }
            }
        }

        if (_ownType is not null && source.Type is { } type && string.Equals(MediaType(type), _ownType, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token has our own 'typ'; a converted token is never converted again.");
        }
    }

    private InboundIssuer ResolveIssuer(SourceToken source, PayloadFacts facts)
    {
        RefuseOwnToken(source);
        if (source.Encrypted)
        {
            // JWE: the issuer is only known after decryption; accept it only when a single inbound issuer is configured.
            return _inbound.Count == 1
                ? _inbound.Values.First()
                : throw Refuse(TokenConversionFailure.WrongIssuer, "An encrypted token can only be converted when exactly one inbound issuer is configured.");
        }

        var issuer = facts.Issuer ?? throw Refuse(TokenConversionFailure.WrongIssuer, facts.IssuerProblem!);
        if (string.Equals(issuer, _issuer.Issuer, StringComparison.Ordinal))
        {
            throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token was issued by our own issuer; a converted token is never converted again.");
        }

        return _inbound.TryGetValue(issuer, out var inbound)
            ? inbound
            : throw Refuse(TokenConversionFailure.WrongIssuer, "The token's issuer is not a configured inbound issuer (ScopeTokenConverterOptions.Issuers).");
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
            SecurityTokenInvalidSigningKeyException => (TokenConversionFailure.AlgorithmNotAllowed, exception.Message),
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

    private readonly record struct SourceToken(string Algorithm, string? KeyId, string? Type, bool Encrypted);

    /// <summary>The header rules, applied as the header is scanned; the first problem is kept and reported after the scan's own verdict.</summary>
    private struct HeaderReader(bool encrypted) : IJsonPropertyVisitor
    {
        public string? Algorithm;
        public string? KeyId;
        public string? Type;
        public TokenConversionException? Problem;

        public void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
            if (Problem is not null)
            {
                return;
            }

            if (name.SequenceEqual("crit"u8))
            {
                Problem = Refuse(TokenConversionFailure.UnsupportedCriticalHeader, "The token header marks extensions as critical ('crit'); none is implemented, so it must be refused (RFC 7515 §4.1.11).");
            }
            else if (name.SequenceEqual("jku"u8) || name.SequenceEqual("x5u"u8) || name.SequenceEqual("jwk"u8))
            {
                Problem = Refuse(TokenConversionFailure.UntrustedKeyReference, $"The token header carries '{System.Text.Encoding.ASCII.GetString(name)}'; key references in a token are never dereferenced nor trusted (RFC 8725 §3.10).");
            }
            else if (!encrypted && name.SequenceEqual("zip"u8))
            {
                Problem = Refuse(TokenConversionFailure.Malformed, "The token header carries 'zip', which a JWS must not.");
            }
            else if (name.SequenceEqual("alg"u8))
            {
                Algorithm = ReadString(reader);
            }
            else if (name.SequenceEqual("kid"u8))
            {
                KeyId = ReadString(reader);
            }
            else if (name.SequenceEqual("typ"u8))
            {
                Type = ReadString(reader);
            }
        }

        private string? ReadString(Utf8JsonReader value)
        {
            try
            {
                if (value.Read() && value.TokenType == JsonTokenType.String)
                {
                    return value.GetString();
                }

                Problem = Refuse(TokenConversionFailure.Malformed, "The token header's 'alg', 'kid' and 'typ' must be strings.");
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                Problem = Refuse(TokenConversionFailure.Malformed, "The token header is not well-formed JSON.");
            }

            return null;
        }
    }

    /// <summary>Reads the issuer, the scope claims and the claims to copy as the payload is scanned.</summary>
    private struct PayloadReader(ScopeTokenConverter converter) : IJsonPropertyVisitor
    {
        public string? Issuer;
        public string? IssuerProblem;
        public string? Subject;
        public TokenConversionException? Problem;
        public ScopeSet?[] Found = new ScopeSet?[converter._normalizer.ClaimTypes.Count];
        public ScopeFormatException? ScopeError;
        public Dictionary<string, object>? Copied;
        public bool Malformed;

        public void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
            // Note: a value is read on a copy of the reader, made only for a property that is read; JSON errors are left
            // to the scan, which meets them too.
            try
            {
                if (name.SequenceEqual("iss"u8))
                {
                    var value = reader;
                    value.Read();
                    if (value.TokenType == JsonTokenType.String)
                    {
                        Issuer = value.GetString();
                    }
                    else
                    {
                        IssuerProblem = "The token's 'iss' claim is not a string.";
                    }

                    return;
                }

                if (name.SequenceEqual("sub"u8))
                {
                    var value = reader;
                    value.Read();
                    Subject = value.TokenType == JsonTokenType.String ? value.GetString() : null;
                    if (string.IsNullOrWhiteSpace(Subject))
                    {
                        Problem ??= Refuse(TokenConversionFailure.Malformed, "The token's 'sub' claim must be a non-blank string (RFC 7519 §4.1.2).");
                    }

                    return;
                }

                if (name.SequenceEqual("aud"u8))
                {
                    var value = reader;
                    if (!IsAudience(ref value))
                    {
                        Problem ??= Refuse(TokenConversionFailure.Malformed, "The token's 'aud' claim must be a string or a non-empty array of strings (RFC 7519 §4.1.3).");
                    }

                    return;
                }

                if (name.SequenceEqual("exp"u8) || name.SequenceEqual("nbf"u8) || name.SequenceEqual("iat"u8))
                {
                    var value = reader;
                    value.Read();
                    if (value.TokenType != JsonTokenType.Number || !value.TryGetInt64(out var seconds) || seconds < 0 || seconds > MaxNumericDate)
                    {
                        Problem ??= Refuse(TokenConversionFailure.InvalidLifetime, $"The token's '{System.Text.Encoding.ASCII.GetString(name)}' claim must be a whole number of seconds since 1970 (RFC 7519 NumericDate); strings, fractions and out-of-range values are refused, not rounded.");
                    }

                    return;
                }

                var normalizer = converter._normalizer;
                var scopeIndex = normalizer.IndexOfClaimType(name);
                if (scopeIndex >= 0)
                {
                    var value = reader;
                    value.Read();
                    try
                    {
                        Found[scopeIndex] = normalizer.ReadJsonValue(ref value, normalizer.ClaimTypes[scopeIndex]);
                    }
                    catch (ScopeFormatException ex)
                    {
                        ScopeError ??= ex;
                    }

                    return;
                }

                if (normalizer.CaseVariantOf(name) is { } variant)
                {
                    // Note: a claim named like a scope claim in another case would be read as one by a .NET consumer of
                    // the source; ambiguous, so refused (reported after validation, as every scope refusal).
                    ScopeError ??= variant;
                    return;
                }

                var copied = converter._copied;
                for (var i = 0; i < copied.Length; i++)
                {
                    if (name.SequenceEqual(copied[i].Utf8))
                    {
                        var value = reader;
                        value.Read();
                        if (value.TokenType != JsonTokenType.Null)
                        {
                            object claim = value.TokenType == JsonTokenType.String ? value.GetString()! : JsonElement.ParseValue(ref value);
                            (Copied ??= new Dictionary<string, object>(StringComparer.Ordinal))[copied[i].Name] = claim;
                        }

                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                Malformed = true;
            }
        }
    }

    private static bool IsAudience(ref Utf8JsonReader value)
    {
        value.Read();
        if (value.TokenType == JsonTokenType.String)
        {
            return true;
        }

        if (value.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var count = 0;
        while (value.Read() && value.TokenType != JsonTokenType.EndArray)
        {
            if (value.TokenType != JsonTokenType.String)
            {
                return false;
            }

            count++;
        }

        return count > 0;
    }

    /// <summary>What a payload says: its issuer (or why there is none), its scopes (or why they are refused), the claims to copy.</summary>
    private readonly record struct PayloadFacts(string? Issuer, string? IssuerProblem, string? Subject, ScopeSet? Scopes, ScopeFormatException? ScopeError, Dictionary<string, object>? Copied);
}
