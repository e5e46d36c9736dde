using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
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
public sealed partial class ScopeTokenConverter : IScopeTokenConverter
{
    private static readonly HashSet<string> s_genericTypes = new(StringComparer.OrdinalIgnoreCase) { "JWT", "at+jwt" };
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };
    private static readonly ScopeTokenConversionRequest s_noNarrowing = new();

    private readonly ScopeTokenConverterOptions _options;
    private readonly IScopeTokenIssuer _issuer;
    private readonly TimeProvider _time;
    private readonly ScopeNormalizer _normalizer;
    private readonly Dictionary<string, InboundIssuer> _inbound;
    private readonly ScopeSet? _allowed;
    private readonly TimeSpan? _maxLifetime;
    private readonly string? _ownType;
    private readonly (string Name, byte[] Utf8)[] _copied;
    private readonly string _name;
    private readonly ScopeClaimsMetrics _metrics;

    /// <summary>Initializes a new instance of the <see cref="ScopeTokenConverter"/> class.</summary>
    /// <param name="options">The converter options; validated here, every problem reported at once.</param>
    /// <param name="issuer">
    /// The issuer that re-issues (our issuer, key, <c>typ</c> and scope shape). A source token with the
    /// <see cref="IScopeTokenIssuer.TokenType"/> it writes is refused, unless that type is generic (<c>JWT</c>, <c>at+jwt</c>).
    /// </param>
    /// <param name="timeProvider">The clock for the new token, or <see langword="null"/> for <see cref="TimeProvider.System"/>. Lifetime validation of the source uses the system clock, as Microsoft.IdentityModel does.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public ScopeTokenConverter(ScopeTokenConverterOptions options, IScopeTokenIssuer issuer, TimeProvider? timeProvider = null)
        : this(Options.DefaultName, options, issuer, timeProvider, ScopeClaimsMetrics.Shared)
    {
    }

    internal ScopeTokenConverter(string name, ScopeTokenConverterOptions options, IScopeTokenIssuer issuer, TimeProvider? timeProvider, ScopeClaimsMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(issuer);
        var result = ScopeTokenConverterOptionsValidator.Instance.Validate(name, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(name, typeof(ScopeTokenConverterOptions), result.Failures);
        }

        var own = ScopeTokenConverterOptionsValidator.OwnIssuerFailures(options, issuer.Issuer, "the converter's own tokens", ScopeTokenConverterOptionsValidator.Describe(name)).ToList();
        if (own.Count > 0)
        {
            throw new OptionsValidationException(name, typeof(ScopeTokenConverterOptions), own);
        }

        _options = options;
        _issuer = issuer;
        _name = name;
        _metrics = metrics;
        _time = timeProvider ?? TimeProvider.System;
        _normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = options.Limits, MaxJsonDepth = options.MaxJsonDepth, MaxPayloadLength = Math.Max(options.MaxTokenLength, 2) });
        _inbound = options.Issuers.ToDictionary(static i => i.Issuer!, i => new InboundIssuer(i, name, metrics, _time), StringComparer.Ordinal);
        _allowed = options.AllowedScopes is null ? null : ScopeSet.Parse(options.AllowedScopes, options.Limits);
        _maxLifetime = options.MaxLifetime;
        _ownType = issuer.TokenType is not { } ownType || s_genericTypes.Contains(MediaType(ownType)) ? null : MediaType(ownType);
        _copied = options.CopiedClaims.Select(static c => (c, System.Text.Encoding.UTF8.GetBytes(c))).ToArray();
    }

    /// <summary>The inbound issuers, for health checks.</summary>
    internal IEnumerable<InboundIssuer> InboundIssuers => _inbound.Values;

    /// <inheritdoc/>
    public Task<ScopeTokenConversion> ConvertAsync(string token, CancellationToken cancellationToken = default) =>
        ConvertAsync(token, s_noNarrowing, cancellationToken);

    /// <inheritdoc/>
    public Task<ScopeTokenConversion> ConvertAsync(string token, ScopeTokenConversionRequest conversionRequest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(conversionRequest);

        if (conversionRequest.Audiences is { } audiences)
        {
            CheckAudiences(audiences);
        }

        // Note: with no listener (no span, no duration, no count) the conversion runs as it is, with nothing added.
        var activity = ScopeClaimsActivity.Source.StartActivity("scopeclaims.convert", ActivityKind.Internal);
        return activity is null && !_metrics.ConversionDuration.Enabled && !_metrics.Conversions.Enabled
            ? ConvertCoreAsync(token, conversionRequest, null, cancellationToken)
            : ConvertObservedAsync(token, conversionRequest, activity, cancellationToken);
    }

    private async Task<ScopeTokenConversion> ConvertObservedAsync(string token, ScopeTokenConversionRequest conversionRequest, Activity? activity, CancellationToken cancellationToken)
    {
        using var _ = activity;
        activity?.SetTag(TelemetryNames.Converter, _name);
        var started = _metrics.ConversionDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        string result = TelemetryNames.Refused;
        string? reason = null;
        try
        {
            var conversion = await ConvertCoreAsync(token, conversionRequest, activity, cancellationToken).ConfigureAwait(false);
            result = TelemetryNames.Success;
            return conversion;
        }
        catch (TokenConversionException ex)
        {
            reason = TelemetryNames.Of(ex.Reason);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            throw;
        }
        catch (Exception ex)
        {
            // Note: cancellation, or a fault of the host's own issuer; the type names it, the message is never used.
            result = TelemetryNames.Failure;
            reason = ex.GetType().FullName;
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            throw;
        }
        finally
        {
            Record(activity, started, result, reason);
        }
    }

    private void Record(Activity? activity, long started, string result, string? reason)
    {
        var reasonTag = result == TelemetryNames.Refused ? TelemetryNames.FailureReason : TelemetryNames.ErrorType;
        activity?.SetTag(TelemetryNames.Result, result);
        if (reason is not null)
        {
            activity?.SetTag(reasonTag, reason);
        }

        var conversions = _metrics.Conversions;
        if (conversions.Enabled)
        {
            if (reason is null)
            {
                conversions.Add(1, new(TelemetryNames.Converter, _name), new(TelemetryNames.Result, result));
            }
            else
            {
                conversions.Add(1, new(TelemetryNames.Converter, _name), new(TelemetryNames.Result, result), new(reasonTag, reason));
            }
        }

        var duration = _metrics.ConversionDuration;
        if (duration.Enabled && started != 0)
        {
            duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new(TelemetryNames.Converter, _name), new(TelemetryNames.Result, result));
        }
    }

    private async Task<ScopeTokenConversion> ConvertCoreAsync(string token, ScopeTokenConversionRequest conversionRequest, Activity? activity, CancellationToken cancellationToken)
    {

        // Note: a JWS payload is read once, here; what it says is used only once validation has succeeded.
        var source = Inspect(token, out var facts);
        var inbound = ResolveIssuer(source, facts);
        activity?.SetTag(TelemetryNames.InboundIssuer, inbound.Issuer);

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
            throw Classify(result.Exception, source.Encrypted);
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

            // Note: the rules a JWS meets before validation, which an encrypted token could only meet now: a kid names a
            // known key (validation tried every key, since the kid was hidden), the issuer is never our own (an inbound
            // issuer named like ours is refused when the converter is built; this holds for an issuer whose name
            // changes after that, as ResolveIssuer does for a JWS), and it is the inbound issuer exactly.
            if (inner.KeyId is { } innerKid && inbound.Keys is { } innerKeys && !HasKey(innerKeys, innerKid))
            {
                throw Refuse(TokenConversionFailure.UnknownKey, "No key of the inbound issuer has the encrypted token's inner kid.");
            }

            if (string.Equals(facts.Issuer, _issuer.Issuer, StringComparison.Ordinal))
            {
                throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The encrypted token was issued by our own issuer; a converted token is never converted again.");
            }

            if (!string.Equals(facts.Issuer, inbound.Issuer, StringComparison.Ordinal))
            {
                throw Refuse(TokenConversionFailure.WrongIssuer, "The encrypted token's issuer is not the inbound issuer.");
            }
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

        if (conversionRequest.AllowedScopes is { } limit)
        {
            scopes = scopes.Intersect(limit);
            if (scopes.IsEmpty)
            {
                // Note: a bounded conversion that leaves no scope would issue a token good for nothing the caller asked.
                throw Refuse(TokenConversionFailure.ScopeNotGranted, "The token grants none of the scopes allowed for this conversion.");
            }
        }

        if (conversionRequest.Scopes is { } requested)
        {
            // Note: the message names how many scopes are missing, not which: a caller sees what it asked for.
            if (!requested.IsSubsetOf(scopes))
            {
                var missing = requested.Count(s => !scopes.Contains(s));
                throw Refuse(TokenConversionFailure.ScopeNotGranted, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{missing} requested scope(s) are not granted by the token."));
            }

            scopes = requested;
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
            Audiences = conversionRequest.Audiences,
            NotAfter = notAfter,
            Lifetime = _maxLifetime,
            Claims = facts.Copied,
        };

        IssuedScopeToken issued;
        try
        {
            issued = await _issuer.IssueAsync(request, cancellationToken).ConfigureAwait(false);
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

        return new ScopeTokenConversion(issued.Token, scopes, inbound.Issuer, request.Subject, issued.ExpiresAt);
    }

    private static TokenConversionException Refuse(TokenConversionFailure reason, string message, Exception? inner = null) => new(reason, message, inner);

    /// <summary>Narrowing never widens: the new token's audiences are some of the target profile's, compared exactly.</summary>
    private void CheckAudiences(IReadOnlyList<string> audiences)
    {
        if (_issuer is not ScopeTokenIssuer own)
        {
            throw Refuse(TokenConversionFailure.AudienceNotAllowed, "The requested audiences cannot be checked against the target profile: its issuer is not a ScopeTokenIssuer.");
        }

        var profile = own.ProfileAudiences;
        if (audiences.Count == 0 || audiences.Any(a => a is null || !profile.Contains(a, StringComparer.Ordinal)))
        {
            throw Refuse(TokenConversionFailure.AudienceNotAllowed, "The requested audiences must be one or more of the target profile's audiences.");
        }
    }
}
