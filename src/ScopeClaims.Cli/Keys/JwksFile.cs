using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims.Cli.Internal;

/// <summary>A JWKS file given with <c>--jwks</c>: its keys, and the algorithms a token signed by them may use.</summary>
internal sealed class JwksFile
{
    /// <summary>
    /// The algorithms accepted for a key without <c>alg</c>, and for an OpenID Connect authority: the asymmetric families
    /// only, so a public key is never used as an HMAC secret.
    /// </summary>
    public static readonly IReadOnlyList<string> AsymmetricAlgorithms = new[]
    {
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    };

    private JwksFile(string json, IReadOnlyList<SecurityKey> keys, IReadOnlyList<string> algorithms)
    {
        Json = json;
        Keys = keys;
        Algorithms = algorithms;
    }

    public string Json { get; }

    public IReadOnlyList<SecurityKey> Keys { get; }

    /// <summary>Gets the algorithms named by the keys' <c>alg</c> members; when a key names none, <see cref="AsymmetricAlgorithms"/> too.</summary>
    public IReadOnlyList<string> Algorithms { get; }

    /// <summary>Reads and checks a JWKS file: a regular file of at most 1 MiB, well-formed JSON naming no member twice.</summary>
    /// <remarks>
    /// No exception of the JSON parsers is kept as an inner exception: their messages may quote the file, and a JWKS
    /// given by mistake may hold private keys.
    /// </remarks>
    public static JwksFile Load(string path)
    {
        var shown = BoundedFile.Describe(path);
        if (!BoundedFile.TryReadText(path, out var json, out var failure))
        {
            throw CliException.Usage($"--jwks: the file {shown} {failure}.");
        }

        // Note: read strictly, as the converter does: duplicate members at any depth, private members, an x5c for another
        // key are refused; messages name the member, never its value.
        var set = StrictJwks.Read(json, StrictJwks.PrivateKeys.Refuse);
        if (!set.IsValid)
        {
            throw CliException.Usage($"--jwks: {shown} is refused: {set.Message}.");
        }

        var keys = set.Keys;
        var algorithms = new List<string>();
        foreach (var jwk in keys)
        {
            if (string.IsNullOrEmpty(jwk.Alg))
            {
                algorithms.AddRange(AsymmetricAlgorithms);
            }
            else if (TokenSigningAlgorithms.IsSupported(jwk.Alg))
            {
                algorithms.Add(jwk.Alg);
            }
        }

        algorithms = algorithms.Distinct(StringComparer.Ordinal).ToList();
        if (algorithms.Count == 0)
        {
            throw CliException.Usage($"--jwks: no key of {shown} names an algorithm this tool verifies ({string.Join(", ", TokenSigningAlgorithms.All)}).");
        }

        return new JwksFile(json, keys.ToArray(), algorithms);
    }

}
