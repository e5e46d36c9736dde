using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// The token exchange's part of a token request (RFC 8693 §2.1): <c>subject_token</c>, <c>subject_token_type</c> and
/// <c>requested_token_type</c>, with <c>resource</c> and <c>audience</c> when set. The client's grant has no subject;
/// each request gets one bound to its subject token (<see cref="ForSubject"/>), whose cache key holds the token's hash.
/// </summary>
internal sealed class TokenExchangeGrant : TokenGrant
{
    public const string TokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    private static readonly IReadOnlySet<string> s_own = new HashSet<string>(StringComparer.Ordinal)
    {
        "resource", "audience", "subject_token", "subject_token_type", "requested_token_type", "actor_token", "actor_token_type",
    };

    private readonly TokenExchangeGrantOptions _options;
    private readonly string? _subject;

    public TokenExchangeGrant(TokenExchangeGrantOptions options, string? subject = null)
        : base(options)
    {
        _options = options;
        _subject = subject;
    }

    public override string Kind => "token-exchange";

    public override string GrantType => TokenExchangeGrantType;

    public override IReadOnlySet<string> OwnParameters => s_own;

    public TokenExchangeGrant ForSubject(string subject) => new(_options, subject);

    /// <summary>Asks <see cref="TokenExchangeGrantOptions.SubjectTokenProvider"/> for the subject token of <paramref name="request"/>.</summary>
    /// <exception cref="SubjectTokenUnavailableException">It gave none.</exception>
    public async ValueTask<string> SubjectTokenAsync(IServiceProvider services, HttpRequestMessage request, string clientName, CancellationToken cancellationToken)
    {
        var subject = await _options.SubjectTokenProvider!(services, request, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(subject)
            ? throw new SubjectTokenUnavailableException($"TokenExchangeGrantOptions.SubjectTokenProvider of HttpClient '{clientName}' gave no subject token for this request, so there is nothing to exchange; the request was not sent.")
            : subject;
    }

    /// <summary>Ends the token's use at the subject token's own <c>exp</c> when the subject is a JWT that has one.</summary>
    /// <remarks>The subject token is read without validation, to bound caching only: the server validates it.</remarks>
    public override PartnerToken Limit(PartnerToken token)
    {
        if (_subject is null)
        {
            return token;
        }

        DateTimeOffset expires;
        try
        {
            var jwt = new JsonWebToken(_subject);
            if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp))
            {
                return token;
            }

            expires = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        }
        catch (ArgumentException)
        {
            return token; // not a JWT (an opaque token): the server's expires_in is all there is
        }

        return expires < token.ExpiresAt ? new PartnerToken(token.AccessToken, expires, token.IsSingleUse) : token;
    }

    /// <summary>
    /// RFC 8693 §2.2.1 requires <c>issued_token_type</c>. The token is sent as a Bearer access token, so it must be of the
    /// <c>requested_token_type</c> when one was asked for, else an access token or a JWT (§3): a refresh token, an ID
    /// token or a SAML assertion is refused, not sent to the API.
    /// </summary>
    public override string? CheckResponse(JsonElement response)
    {
        if (!response.TryGetProperty("issued_token_type", out var issued) || issued.ValueKind != JsonValueKind.String)
        {
            return "issued_token_type is missing or not a string (RFC 8693 §2.2.1 requires it)";
        }

        var type = issued.GetString();
        if (_options.RequestedTokenType is { } requested)
        {
            return string.Equals(type, requested, StringComparison.Ordinal)
                ? null
                : "issued_token_type is not the requested_token_type (TokenExchangeGrantOptions.RequestedTokenType)";
        }

        return type is TokenExchangeGrantOptions.AccessTokenType or TokenExchangeGrantOptions.JwtTokenType
            ? null
            : "issued_token_type is neither an access token nor a JWT (RFC 8693 §3), so the token cannot be sent as a Bearer access token";
    }

    protected override void AddParameters(List<KeyValuePair<string, string>> form)
    {
        if (_subject is not null)
        {
            form.Add(new("subject_token", _subject));
        }

        form.Add(new("subject_token_type", _options.SubjectTokenType));
        if (_options.RequestedTokenType is { } requested)
        {
            form.Add(new("requested_token_type", requested));
        }
    }

    // Note: the key holds the subject token's SHA-256, never the token.
    protected override IEnumerable<KeyValuePair<string, string>> KeyParameters() =>
        Parameters().Select(static p => p.Key == "subject_token" ? new KeyValuePair<string, string>(p.Key, "sha256:" + Hash(p.Value)) : p);
}
