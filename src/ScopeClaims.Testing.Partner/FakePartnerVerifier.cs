using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ScopeClaims.Internal;

namespace ScopeClaims.Testing.Partner;

/// <summary>The checks of a <see cref="FakePartner"/>'s token endpoint: client authentication, the grant, the scopes.</summary>
internal sealed class FakePartnerVerifier
{
    public const string ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly ConcurrentDictionary<string, bool> _usedJwtIds = new(StringComparer.Ordinal);

    public FakePartnerVerifier(FakePartnerSettings settings, string audience)
    {
        Settings = settings;
        Audience = audience;
    }

    public FakePartnerSettings Settings { get; }

    /// <summary>The <c>aud</c> every assertion must name.</summary>
    public string Audience { get; }

    public static string? CheckJwks(string jwks)
    {
        var result = StrictJwks.Read(jwks, StrictJwks.PrivateKeys.Refuse);
        if (!result.IsValid)
        {
            return result.Message;
        }

        return result.Keys.Count == 0 ? "the JWK set holds no key" : null;
    }

    /// <summary>Checks a token request; returns the scopes to grant, or the refusal.</summary>
    public FakePartnerVerdict Verify(IReadOnlyDictionary<string, string> form, string? authorization, DateTimeOffset now)
    {
        if (!form.TryGetValue("grant_type", out var grantType))
        {
            return FakePartnerVerdict.Refused(400, "invalid_request", "the grant_type parameter is missing");
        }

        if (!Settings.GrantTypes.Contains(grantType))
        {
            return FakePartnerVerdict.Refused(400, "unsupported_grant_type", $"this partner takes the grant types {string.Join(", ", Settings.GrantTypes.Order(StringComparer.Ordinal))}");
        }

        if (AuthenticateClient(form, authorization, now) is { } clientRefusal)
        {
            return clientRefusal;
        }

        var requested = ScopeSet.Empty;
        if (form.TryGetValue("scope", out var scopeParameter) && !ScopeSet.TryParse(scopeParameter, out requested))
        {
            return FakePartnerVerdict.Refused(400, "invalid_scope", "the scope parameter is not a space-delimited list of RFC 6749 scopes");
        }

        var granted = requested;
        if (grantType == FakePartnerOptions.JwtBearerGrantType)
        {
            if (!form.TryGetValue("assertion", out var assertion))
            {
                return FakePartnerVerdict.Refused(400, "invalid_request", "the assertion parameter is missing");
            }

            var (problem, assertionScopes) = CheckAssertion(assertion, Settings.Subject, requireScope: true, now);
            if (problem is not null)
            {
                return FakePartnerVerdict.Refused(400, "invalid_grant", "the assertion is refused: " + problem);
            }

            if (form.ContainsKey("scope") && !requested.IsSubsetOf(assertionScopes))
            {
                return FakePartnerVerdict.Refused(400, "invalid_scope", $"the scope parameter asks for scopes the assertion does not carry: {requested.First(s => !assertionScopes.Contains(s))}");
            }

            granted = form.ContainsKey("scope") ? requested : assertionScopes;
        }

        if (grantType == FakePartnerOptions.TokenExchangeGrantType && CheckTokenExchange(form) is { } exchangeRefusal)
        {
            return exchangeRefusal;
        }

        if (Settings.AllowedScopes is { } allowed && !granted.IsSubsetOf(allowed))
        {
            return FakePartnerVerdict.Refused(400, "invalid_scope", $"this partner does not grant the scope {granted.First(s => !allowed.Contains(s))}");
        }

        return FakePartnerVerdict.Granted(granted);
    }

    /// <summary>RFC 8693 §2.1: a subject token this partner accepts with its type; an access token as the requested type, when named; no actor token (not supported here).</summary>
    private FakePartnerVerdict? CheckTokenExchange(IReadOnlyDictionary<string, string> form)
    {
        if (!form.TryGetValue("subject_token", out var subject) || !form.TryGetValue("subject_token_type", out var subjectType))
        {
            return FakePartnerVerdict.Refused(400, "invalid_request", "subject_token and subject_token_type are required (RFC 8693 §2.1)");
        }

        if (!subjectType.StartsWith("urn:ietf:params:oauth:token-type:", StringComparison.Ordinal) && !Uri.IsWellFormedUriString(subjectType, UriKind.Absolute))
        {
            return FakePartnerVerdict.Refused(400, "invalid_request", "subject_token_type is not a token type identifier (RFC 8693 §3)");
        }

        if (form.TryGetValue("requested_token_type", out var requested) && requested != FakePartnerOptions.AccessTokenType)
        {
            return FakePartnerVerdict.Refused(400, "invalid_request", $"this partner issues access tokens only ({FakePartnerOptions.AccessTokenType})");
        }

        if (form.ContainsKey("actor_token") || form.ContainsKey("actor_token_type"))
        {
            return FakePartnerVerdict.Refused(400, "invalid_request", "this partner takes no actor token");
        }

        return Settings.SubjectTokens.Contains(subject) ? null : FakePartnerVerdict.Refused(400, "invalid_grant", "the subject token is not one this partner accepts");
    }

    private FakePartnerVerdict? AuthenticateClient(IReadOnlyDictionary<string, string> form, string? authorization, DateTimeOffset now)
    {
        var hasSecret = form.ContainsKey("client_secret");
        var hasAssertion = form.ContainsKey("client_assertion") || form.ContainsKey("client_assertion_type");
        var hasBasic = authorization is not null;
        if ((hasSecret ? 1 : 0) + (hasAssertion ? 1 : 0) + (hasBasic ? 1 : 0) > 1)
        {
            return FakePartnerVerdict.Refused(400, "invalid_request", "the request uses more than one client authentication method (RFC 6749 §2.3)");
        }

        if (form.TryGetValue("client_id", out var formClientId) && !string.Equals(formClientId, Settings.ClientId, StringComparison.Ordinal))
        {
            return InvalidClient("the client_id parameter names another client");
        }

        switch (Settings.ClientAuthentication)
        {
            case FakePartnerClientAuthentication.None:
                return hasSecret || hasAssertion || hasBasic ? InvalidClient("this partner takes no client authentication, and the request carries some") : null;

            case FakePartnerClientAuthentication.ClientSecretBasic:
                if (!hasBasic)
                {
                    return InvalidClient("client_secret_basic is required: an Authorization: Basic header with the client id and secret");
                }

                return CheckBasic(authorization!) is { } basicProblem ? InvalidClient(basicProblem) : null;

            case FakePartnerClientAuthentication.ClientSecretPost:
                if (!hasSecret || formClientId is null)
                {
                    return InvalidClient("client_secret_post is required: client_id and client_secret in the form body");
                }

                return SecretMatches(form["client_secret"]) ? null : InvalidClient("the client secret is wrong");

            default:
                if (!hasAssertion)
                {
                    return InvalidClient("private_key_jwt is required: client_assertion_type and client_assertion in the form body");
                }

                if (!form.TryGetValue("client_assertion_type", out var type) || type != ClientAssertionType)
                {
                    return InvalidClient($"client_assertion_type must be {ClientAssertionType}");
                }

                if (!form.TryGetValue("client_assertion", out var clientAssertion))
                {
                    return InvalidClient("the client_assertion parameter is missing");
                }

                var (problem, _) = CheckAssertion(clientAssertion, Settings.ClientId, requireScope: false, now);
                return problem is null ? null : InvalidClient("the client assertion is refused: " + problem);
        }
    }

    private FakePartnerVerdict InvalidClient(string description)
    {
        var scheme = Settings.ClientAuthentication == FakePartnerClientAuthentication.ClientSecretBasic ? "Basic" : "Bearer";
        return FakePartnerVerdict.Refused(401, "invalid_client", description, $"{scheme} realm=\"fake-partner\"");
    }

    private string? CheckBasic(string authorization)
    {
        const string Basic = "Basic ";
        if (!authorization.StartsWith(Basic, StringComparison.OrdinalIgnoreCase))
        {
            return "the Authorization header is not Basic";
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(authorization[Basic.Length..].Trim()));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return "the Basic credentials are not base64 of UTF-8 text";
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return "the Basic credentials have no ':' between the client id and the secret";
        }

        // Note: RFC 6749 §2.3.1 form-encodes the id and the secret before they are joined.
        var id = FormDecode(decoded[..colon]);
        var secret = FormDecode(decoded[(colon + 1)..]);
        if (!string.Equals(id, Settings.ClientId, StringComparison.Ordinal))
        {
            return "the Basic credentials name another client";
        }

        return SecretMatches(secret) ? null : "the client secret is wrong";
    }

    private bool SecretMatches(string secret) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Settings.ClientSecret!));

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    /// <summary>The rules shared by a JWT-bearer assertion and a client assertion.</summary>
    private (string? Problem, ScopeSet Scopes) CheckAssertion(string assertion, string subject, bool requireScope, DateTimeOffset now)
    {
        ScopeTokenAssertions token;
        try
        {
            token = ScopeTokenAssert.That(assertion);
            token.IsValidAgainstJwks(Settings.ClientJwks!, Settings.ClientId, Audience, Settings.TimeProvider);
        }
        catch (Exception ex) when (ex is MalformedTokenException or ScopeTokenAssertionException)
        {
            return (Reason(ex.Message), ScopeSet.Empty);
        }

        var inspection = token.Inspection;
        if (!inspection.Payload.TryGetProperty("sub", out var sub) || sub.ValueKind != System.Text.Json.JsonValueKind.String || sub.GetString() != subject)
        {
            return ($"sub must be the string '{subject}'", ScopeSet.Empty);
        }

        var exp = inspection.ExpiresAt!.Value;
        if (exp - now > Settings.MaxAssertionLifetime)
        {
            return ($"exp is more than {Seconds(Settings.MaxAssertionLifetime)} s away; this partner takes assertions that live at most that long", ScopeSet.Empty);
        }

        if (inspection.IssuedAt is { } iat && exp - iat > Settings.MaxAssertionLifetime)
        {
            return ($"exp - iat is more than {Seconds(Settings.MaxAssertionLifetime)} s", ScopeSet.Empty);
        }

        if (!inspection.Payload.TryGetProperty("jti", out var jti) || jti.ValueKind != System.Text.Json.JsonValueKind.String || jti.GetString() is not { Length: > 0 } jwtId)
        {
            return ("jti is missing or not a non-empty string (this partner refuses replays by jti)", ScopeSet.Empty);
        }

        var scopes = ScopeSet.Empty;
        if (requireScope)
        {
            var claim = inspection.GetScopeClaim("scope");
            if (claim.Shape == ScopeClaimShape.Absent)
            {
                if (Settings.RequireScopeClaim)
                {
                    return ("the scope claim is missing", ScopeSet.Empty);
                }
            }
            else if (!ShapeAllowed(claim.Shape) || inspection.ScopeError is not null)
            {
                return ($"the scope claim is {claim.Description}; this partner takes {RuleText(Settings.ScopeRule)}", ScopeSet.Empty);
            }
            else
            {
                scopes = ScopeSet.Create(claim.Values);
            }
        }

        // Note: a jti is burnt only by an assertion that passed every other rule.
        if (!_usedJwtIds.TryAdd(jwtId, true))
        {
            return ("its jti was used before (replay)", ScopeSet.Empty);
        }

        return (null, scopes);
    }

    private bool ShapeAllowed(ScopeClaimShape shape) => Settings.ScopeRule switch
    {
        FakePartnerScopeRule.Array => shape == ScopeClaimShape.Array,
        FakePartnerScopeRule.SpaceDelimited => shape == ScopeClaimShape.SpaceDelimited,
        _ => shape is ScopeClaimShape.Array or ScopeClaimShape.SpaceDelimited,
    };

    private static string RuleText(FakePartnerScopeRule rule) => rule switch
    {
        FakePartnerScopeRule.Array => "a JSON array of scopes",
        FakePartnerScopeRule.SpaceDelimited => "a space-delimited string of scopes",
        _ => "a JSON array or a space-delimited string of scopes",
    };

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The reason line of a ScopeClaims.Testing failure ("Actual:   invalid: ..."), else its first line.</summary>
    private static string Reason(string message)
    {
        var lines = message.Split('\n');
        var actual = lines.FirstOrDefault(static l => l.StartsWith("Actual:", StringComparison.Ordinal));
        if (actual is null)
        {
            return lines[0];
        }

        var reason = actual["Actual:".Length..].Trim();
        return reason.StartsWith("invalid: ", StringComparison.Ordinal) ? reason["invalid: ".Length..] : reason;
    }
}
