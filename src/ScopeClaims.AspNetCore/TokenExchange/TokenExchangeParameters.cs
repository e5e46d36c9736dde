namespace ScopeClaims.AspNetCore.Internal;

/// <summary>The request parameter names the endpoint knows (RFC 8693 §2.1, RFC 6749 §2.3.1, RFC 7521 §4.2, RFC 8707 §2).</summary>
internal static class TokenExchangeParameters
{
    public const string GrantType = "grant_type";
    public const string SubjectToken = "subject_token";
    public const string SubjectTokenType = "subject_token_type";
    public const string RequestedTokenType = "requested_token_type";
    public const string Audience = "audience";
    public const string Resource = "resource";
    public const string Scope = "scope";
    public const string ActorToken = "actor_token";
    public const string ActorTokenType = "actor_token_type";
    public const string ClientId = "client_id";
    public const string ClientSecret = "client_secret";
    public const string ClientAssertion = "client_assertion";
    public const string ClientAssertionType = "client_assertion_type";

    public const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static bool IsKnown(string name) => name is GrantType or SubjectToken or SubjectTokenType or RequestedTokenType
        or Audience or Resource or Scope or ClientId or ClientSecret or ClientAssertion or ClientAssertionType;
}
