using System;
using System.Collections.Generic;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims;

/// <summary>The JWS algorithms ScopeClaims signs with (RFC 7518 §3.1): RS, PS, ES and HS with SHA-256, -384 and -512. Never <c>none</c>.</summary>
public static class TokenSigningAlgorithms
{
    private static readonly HashSet<string> s_all = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512,
    };

    /// <summary>Gets every supported algorithm.</summary>
    public static IReadOnlyCollection<string> All => s_all;

    /// <summary>Gets a value indicating whether <paramref name="algorithm"/> is supported (exact, case-sensitive match).</summary>
    /// <param name="algorithm">The JWS <c>alg</c> value.</param>
    /// <returns><see langword="true"/> when supported.</returns>
    public static bool IsSupported(string? algorithm) => algorithm is not null && s_all.Contains(algorithm);
}
