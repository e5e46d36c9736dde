using System;
using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>Options for an <see cref="IScopeTokenConverter"/>: which issuers it accepts and how it re-issues.</summary>
public sealed class ScopeTokenConverterOptions
{
    /// <summary>The default for <see cref="MaxTokenLength"/>.</summary>
    public const int DefaultMaxTokenLength = 8 * 1024;

    /// <summary>Gets the issuers whose tokens are accepted. At least one is required.</summary>
    /// <value>The default is empty.</value>
    public IList<InboundIssuerOptions> Issuers { get; } = new List<InboundIssuerOptions>();

    /// <summary>Gets or sets the name of the token profile (<see cref="ScopeTokenOptions"/>) that re-issues: our issuer, audience, key, <c>typ</c> and scope shape. In a host, the profile must be registered, or the host does not start.</summary>
    /// <value>The default is the default profile (<see cref="Microsoft.Extensions.Options.Options.DefaultName"/>).</value>
    public string ProfileName { get; set; } = Microsoft.Extensions.Options.Options.DefaultName;

    /// <summary>Gets or sets the longest token accepted, in characters; checked before any parsing.</summary>
    /// <value>The default is 8192.</value>
    public int MaxTokenLength { get; set; } = DefaultMaxTokenLength;

    /// <summary>Gets or sets the deepest JSON nesting accepted in the header and payload.</summary>
    /// <value>The default is 16.</value>
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>
    /// Gets the source claims copied to the new token besides <c>sub</c> (always copied). Registered claims and scope
    /// claims can never be copied; everything not listed is dropped.
    /// </summary>
    /// <value>The default is <c>azp</c>, <c>client_id</c> and <c>gty</c>.</value>
    public IList<string> CopiedClaims { get; } = new List<string> { "azp", "client_id", "gty" };

    /// <summary>
    /// Gets or sets the scopes a converted token may carry (down-scoping for a partner), space-delimited; the output is
    /// the intersection with the source's scopes. <see langword="null"/> keeps every source scope.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? AllowedScopes { get; set; }

    /// <summary>
    /// Gets or sets the longest lifetime of a converted token; its <c>exp</c> is the earlier of the source's and now plus
    /// this. At least 1 second, at most 366 days, and in a host at most the target profile's <see cref="ScopeTokenOptions.MaxLifetime"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the target profile's <see cref="ScopeTokenOptions.Lifetime"/>.</value>
    public TimeSpan? MaxLifetime { get; set; }

    /// <summary>Gets or sets a value indicating whether encrypted tokens (JWE) are accepted; they then need <see cref="DecryptionKeys"/>.</summary>
    /// <value>The default is <see langword="false"/>: JWE is refused.</value>
    public bool AllowEncryptedTokens { get; set; }

    /// <summary>Gets the keys that decrypt JWE tokens when <see cref="AllowEncryptedTokens"/> is on.</summary>
    /// <value>The default is empty.</value>
    public IList<Microsoft.IdentityModel.Tokens.SecurityKey> DecryptionKeys { get; } = new List<Microsoft.IdentityModel.Tokens.SecurityKey>();

    /// <summary>Gets or sets the limits applied to the source token's scopes: every value positive, and in a host none above the target profile's <see cref="ScopeTokenOptions.Limits"/>.</summary>
    /// <value>The default is a new <see cref="ScopeLimits"/>.</value>
    public ScopeLimits Limits { get; set; } = new();
}
