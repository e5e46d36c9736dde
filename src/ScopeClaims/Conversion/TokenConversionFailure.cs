namespace ScopeClaims;

/// <summary>Why a token was refused by the <see cref="IScopeTokenConverter"/>. Machine-readable; the exception message says the same for people.</summary>
public enum TokenConversionFailure
{
    /// <summary>Not a compact JWS: wrong number of parts, invalid base64url, or a header or payload that is not one JSON object.</summary>
    Malformed,

    /// <summary>Longer than <see cref="ScopeTokenConverterOptions.MaxTokenLength"/>; refused before parsing.</summary>
    Oversized,

    /// <summary>The header or payload names the same JSON property twice.</summary>
    DuplicateJsonKey,

    /// <summary>The header or payload JSON is nested deeper than allowed.</summary>
    NestingTooDeep,

    /// <summary><c>alg</c> is <c>none</c> (in any casing) or not in the inbound issuer's allowlist.</summary>
    AlgorithmNotAllowed,

    /// <summary>The <c>crit</c> header names an extension ScopeClaims does not implement (RFC 7515 §4.1.11).</summary>
    UnsupportedCriticalHeader,

    /// <summary>The header carries <c>jku</c>, <c>x5u</c> or <c>jwk</c>: key references that are never dereferenced nor trusted (RFC 8725 §3.10).</summary>
    UntrustedKeyReference,

    /// <summary>An encrypted token (JWE) while <see cref="ScopeTokenConverterOptions.AllowEncryptedTokens"/> is off.</summary>
    EncryptedTokenNotAllowed,

    /// <summary>The signature does not verify.</summary>
    InvalidSignature,

    /// <summary>No configured key has the token's <c>kid</c>.</summary>
    UnknownKey,

    /// <summary>The token has expired.</summary>
    Expired,

    /// <summary>The token is not yet valid (<c>nbf</c> in the future).</summary>
    NotYetValid,

    /// <summary>The token has no <c>exp</c>, or an inconsistent lifetime.</summary>
    InvalidLifetime,

    /// <summary>The issuer is missing or not configured as an inbound issuer.</summary>
    WrongIssuer,

    /// <summary>The audience is missing or not one the inbound issuer allows.</summary>
    WrongAudience,

    /// <summary>The <c>typ</c> header is not one the inbound issuer allows.</summary>
    WrongTokenType,

    /// <summary>The scope claims have a hostile shape or value.</summary>
    InvalidScope,

    /// <summary>The token was issued by this converter's own issuer (its <c>iss</c>, <c>typ</c> or <c>kid</c> is ours): a token is never converted twice.</summary>
    ReplayedOwnToken,

    /// <summary>The inbound issuer's keys could not be obtained (an OpenID Connect authority that is down or answers garbage).</summary>
    KeysUnavailable,

    /// <summary>Validation failed for another reason.</summary>
    Invalid,

    /// <summary>A scope asked for in <see cref="ScopeTokenConversionRequest.Scopes"/> is not granted by the source token.</summary>
    ScopeNotGranted,

    /// <summary>An audience asked for in <see cref="ScopeTokenConversionRequest.Audiences"/> is not one of the target profile's audiences.</summary>
    AudienceNotAllowed,
}
