namespace ScopeClaims;

/// <summary>
/// Size limits applied to scope values before they are split or stored, so that hostile input is refused
/// before any work proportional to its size is done.
/// </summary>
/// <remarks>In options (<see cref="ScopeTokenOptions.Limits"/>, <see cref="ScopeNormalizerOptions.Limits"/>, <see cref="ScopeTokenConverterOptions.Limits"/>) every value must be positive; validation refuses zero and negative values when the host starts.</remarks>
public sealed class ScopeLimits
{
    /// <summary>The default for <see cref="MaxScopes"/>.</summary>
    public const int DefaultMaxScopes = 256;

    /// <summary>The default for <see cref="MaxScopeLength"/>.</summary>
    public const int DefaultMaxScopeLength = 512;

    /// <summary>The default for <see cref="MaxTotalLength"/>.</summary>
    public const int DefaultMaxTotalLength = 16 * 1024;

    internal static readonly ScopeLimits Default = new();

    /// <summary>Gets or sets the largest number of scopes in one value (duplicates included).</summary>
    /// <value>The default is 256.</value>
    public int MaxScopes { get; set; } = DefaultMaxScopes;

    /// <summary>Gets or sets the longest single scope, in characters.</summary>
    /// <value>The default is 512.</value>
    public int MaxScopeLength { get; set; } = DefaultMaxScopeLength;

    /// <summary>Gets or sets the longest whole value, in characters (a space-delimited string, or all elements of an array together).</summary>
    /// <value>The default is 16384.</value>
    public int MaxTotalLength { get; set; } = DefaultMaxTotalLength;
}
