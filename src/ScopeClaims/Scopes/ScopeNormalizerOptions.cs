using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>Options for the <see cref="ScopeNormalizer"/>.</summary>
public sealed class ScopeNormalizerOptions
{
    /// <summary>Gets the claim types read, in order of precedence.</summary>
    /// <value>The default is <c>scope</c>, <c>scp</c>, then <see cref="ScopeClaimTypes.MicrosoftScope"/>.</value>
    public IList<string> ClaimTypes { get; } = new List<string> { ScopeClaimTypes.Scope, ScopeClaimTypes.Scp, ScopeClaimTypes.MicrosoftScope };

    /// <summary>Gets or sets what happens when several of <see cref="ClaimTypes"/> are present.</summary>
    /// <value>The default is <see cref="MultipleScopeClaimsBehavior.RequireEquivalent"/>.</value>
    public MultipleScopeClaimsBehavior MultipleClaims { get; set; } = MultipleScopeClaimsBehavior.RequireEquivalent;

    /// <summary>Gets or sets the limits applied to each claim.</summary>
    /// <value>The default is a new <see cref="ScopeLimits"/>: 256 scopes, 512 characters per scope, 16384 in all.</value>
    public ScopeLimits Limits { get; set; } = new();

    /// <summary>Gets or sets the largest payload <see cref="ScopeNormalizer.ReadPayloadJson(string)"/> reads, in UTF-8 bytes (or characters, for a string); larger payloads are refused before they are read.</summary>
    /// <value>The default is 262144 (256 KB).</value>
    public int MaxPayloadLength { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets the deepest JSON nesting accepted in a scope claim: the JSON of a claim typed as a JSON array is read
    /// with this limit. A scope claim in a payload holds at most an array of strings, so anything nested in it is refused
    /// whatever this says. Other claims of a payload are not limited by it: how deeply they nest is the token validator's concern.
    /// </summary>
    /// <value>The default is 16.</value>
    public int MaxJsonDepth { get; set; } = 16;
}
