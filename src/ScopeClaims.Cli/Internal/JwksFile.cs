using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
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

    private const int MaxDepth = 16;

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

        var visitor = default(NoVisitor);
        switch (JsonGuard.Check(Encoding.UTF8.GetBytes(json), MaxDepth, ref visitor))
        {
            case JsonGuard.Verdict.Ok:
                break;
            case JsonGuard.Verdict.DuplicateKey:
                throw CliException.Usage($"--jwks: {shown} names a JSON member twice; which value counts would depend on the parser, so it is refused.");
            case JsonGuard.Verdict.TooDeep:
                throw CliException.Usage($"--jwks: {shown} nests deeper than {MaxDepth} levels; a JWK set never does.");
            default:
                throw CliException.Usage($"--jwks: {shown} is not well-formed JSON; a JWK set (RFC 7517 §5) is a JSON object with a \"keys\" array.");
        }

        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            throw CliException.Usage($"--jwks: {shown} is not a JWK set (RFC 7517 §5): a JSON object with a \"keys\" array ({ex.GetType().Name}).");
        }

        var keys = set.GetSigningKeys();
        if (keys.Count == 0)
        {
            throw CliException.Usage($"--jwks: {shown} holds no usable signing key.");
        }

        var algorithms = new List<string>();
        foreach (var jwk in set.Keys)
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

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
        }
    }
}
