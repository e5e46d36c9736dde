namespace ScopeClaims;

/// <summary>The shape in which issued tokens carry their scopes.</summary>
public enum ScopeFormat
{
    /// <summary>A JSON array (<c>"scope": ["a", "b"]</c>); a one-element set is still an array.</summary>
    Array,

    /// <summary>An RFC 8693 §4.2 space-delimited string (<c>"scope": "a b"</c>).</summary>
    SpaceDelimited,

    /// <summary>Both at once under two claim names (by default <c>"scope": "a b"</c> and <c>"scp": ["a", "b"]</c>), for migrations.</summary>
    Both,
}
