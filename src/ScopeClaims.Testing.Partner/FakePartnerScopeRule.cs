namespace ScopeClaims.Testing.Partner;

/// <summary>The shape a <see cref="FakePartner"/> requires of the <c>scope</c> claim in a JWT-bearer assertion.</summary>
public enum FakePartnerScopeRule
{
    /// <summary>A JSON array of strings, one scope each (<c>"scope": ["read:a", "write:b"]</c>).</summary>
    Array,

    /// <summary>One space-delimited string, as RFC 8693 and RFC 9068 write it (<c>"scope": "read:a write:b"</c>).</summary>
    SpaceDelimited,

    /// <summary>Either of the two.</summary>
    Either,
}
