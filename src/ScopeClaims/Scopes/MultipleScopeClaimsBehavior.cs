namespace ScopeClaims;

/// <summary>What the <see cref="ScopeNormalizer"/> does when a token or principal carries more than one of the configured scope claim types.</summary>
public enum MultipleScopeClaimsBehavior
{
    /// <summary>All present claims must hold the same set (in any order and shape); otherwise the value is refused. The default: it fails closed.</summary>
    RequireEquivalent,

    /// <summary>The first present claim type, in the order of <see cref="ScopeNormalizerOptions.ClaimTypes"/>, wins; the others are ignored.</summary>
    FirstPresent,

    /// <summary>The union of all present claims, in the order of <see cref="ScopeNormalizerOptions.ClaimTypes"/>.</summary>
    Union,
}
