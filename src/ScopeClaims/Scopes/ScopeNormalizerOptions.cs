using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>Options for the <see cref="ScopeNormalizer"/>.</summary>
/// <remarks>
/// Registered with <c>AddScopeNormalizer</c> (which <c>AddArrayScopeTokens</c> and <c>AddScopeTokens</c> call), these
/// options are validated when the host starts, every problem listed in one
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
/// </remarks>
public sealed class ScopeNormalizerOptions
{
    /// <summary>Gets the claim types read, in order of precedence: at least one, none empty or listed twice, none a registered claim (<c>iss</c>, <c>sub</c>, <c>aud</c>, ...).</summary>
    /// <value>The default is <see cref="ScopeClaimTypes.All"/>: <c>scope</c>, <c>scp</c>, then <see cref="ScopeClaimTypes.MicrosoftScope"/>.</value>
    public IList<string> ClaimTypes { get; } = new List<string>(ScopeClaimTypes.All);

    /// <summary>Gets or sets what happens when several of <see cref="ClaimTypes"/> are present; a value outside the enumeration is refused.</summary>
    /// <value>The default is <see cref="MultipleScopeClaimsBehavior.RequireEquivalent"/>.</value>
    public MultipleScopeClaimsBehavior MultipleClaims { get; set; } = MultipleScopeClaimsBehavior.RequireEquivalent;

    /// <summary>Gets or sets the limits applied to each claim. Required; every value must be positive.</summary>
    /// <value>The default is a new <see cref="ScopeLimits"/>: 256 scopes, 512 characters per scope, 16384 in all.</value>
    public ScopeLimits Limits { get; set; } = new();

    /// <summary>Gets or sets the largest payload <see cref="ScopeNormalizer.ReadPayloadJson(string)"/> reads, in UTF-8 bytes (or characters, for a string); larger payloads are refused before they are read. At least 2.</summary>
    /// <value>The default is 262144 (256 KB).</value>
    public int MaxPayloadLength { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets the deepest JSON nesting accepted in a scope claim: the JSON of a claim typed as a JSON array is read
    /// with this limit. A scope claim in a payload holds at most an array of strings, so anything nested in it is refused
    /// whatever this says. Other claims of a payload are not limited by it: how deeply they nest is the token validator's concern. Between 2 and 64.
    /// </summary>
    /// <value>The default is 16.</value>
    public int MaxJsonDepth { get; set; } = 16;
}
