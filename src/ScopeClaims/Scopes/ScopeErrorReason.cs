namespace ScopeClaims;

/// <summary>
/// Why a scope value or scope claim was refused.
/// </summary>
public enum ScopeErrorReason
{
    /// <summary>A scope, or a whole scope claim, is empty.</summary>
    Empty,

    /// <summary>A character outside the RFC 6749 §3.3 grammar (<c>%x21 / %x23-5B / %x5D-7E</c>).</summary>
    InvalidCharacter,

    /// <summary>One scope is longer than <see cref="ScopeLimits.MaxScopeLength"/>.</summary>
    ScopeTooLong,

    /// <summary>More scopes than <see cref="ScopeLimits.MaxScopes"/>.</summary>
    TooManyScopes,

    /// <summary>The whole value is longer than <see cref="ScopeLimits.MaxTotalLength"/>.</summary>
    TooLong,

    /// <summary>The claim is neither a string nor an array of strings (a number, boolean, null, object or nested array).</summary>
    InvalidShape,

    /// <summary>An array element, or one of several same-type claims, holds more than one scope (it contains a space).</summary>
    ElementContainsSeparator,

    /// <summary>
    /// Several scope claims are present and disagree, under <see cref="MultipleScopeClaimsBehavior.RequireEquivalent"/>;
    /// or a claim's name differs from a scope claim type only in case (.NET compares claim types ignoring case, so it would
    /// be read as that scope claim).
    /// </summary>
    ConflictingClaims,

    /// <summary>The JSON holding the claims is malformed, too deep, or names a property twice.</summary>
    MalformedJson,
}
