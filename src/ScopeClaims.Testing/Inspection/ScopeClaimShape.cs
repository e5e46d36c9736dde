namespace ScopeClaims.Testing;

/// <summary>The JSON shape of a claim that may carry scopes, as written in a token's payload.</summary>
public enum ScopeClaimShape
{
    /// <summary>The claim is not in the payload.</summary>
    Absent,

    /// <summary>A JSON array whose elements are all strings (<c>"scope": ["a", "b"]</c>), including the empty array.</summary>
    Array,

    /// <summary>A JSON string (<c>"scope": "a b"</c>): the RFC 8693 §4.2 shape, as <see cref="ScopeFormat.SpaceDelimited"/> writes it.</summary>
    SpaceDelimited,

    /// <summary>Anything else: a number, boolean, null, object, or an array holding a non-string element.</summary>
    Other,
}
