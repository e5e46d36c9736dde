using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ScopeClaims.Internal;

/// <summary>
/// Reads an inbound issuer's OpenID Connect metadata and JWKS with the same rules as a token: metadata JSON that names a
/// member twice (at any depth), nests too deeply or holds a lone surrogate is refused, and the JWKS is read by
/// <see cref="StrictJwks"/> (a decoy <c>"keys"</c> array, private members, an <c>x5c</c> for another key are refused).
/// Microsoft.IdentityModel's own retriever keeps one of two duplicate members silently.
/// </summary>
internal sealed class StrictConfigurationRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    private const int MaxDepth = 16;

    public static StrictConfigurationRetriever Instance { get; } = new();

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        var metadata = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        var visitor = default(NoVisitor);
        var verdict = JsonGuard.Check(Encoding.UTF8.GetBytes(metadata), MaxDepth, ref visitor);
        if (verdict != JsonGuard.Verdict.Ok)
        {
            throw new InvalidOperationException($"The inbound issuer's OpenID Connect metadata is refused ({Describe(verdict)}).");
        }

        var configuration = OpenIdConnectConfiguration.Create(metadata);
        if (string.IsNullOrEmpty(configuration.JwksUri))
        {
            throw new InvalidOperationException("The inbound issuer's OpenID Connect metadata has no 'jwks_uri'.");
        }

        var jwks = await retriever.GetDocumentAsync(configuration.JwksUri, cancel).ConfigureAwait(false);
        var keys = StrictJwks.Read(jwks, StrictJwks.PrivateKeys.Refuse);
        if (!keys.IsValid)
        {
            throw new InvalidOperationException($"The inbound issuer's JWKS is refused: {keys.Message}.");
        }

        foreach (var key in keys.Keys)
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }

    private static string Describe(JsonGuard.Verdict verdict) => verdict switch
    {
        JsonGuard.Verdict.DuplicateKey => "it names a member twice",
        JsonGuard.Verdict.TooDeep => $"it nests deeper than {MaxDepth} levels",
        JsonGuard.Verdict.InvalidString => "it holds a string that is not valid Unicode",
        JsonGuard.Verdict.NotAnObject => "it is not a JSON object",
        _ => "it is not well-formed JSON",
    };

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in System.Text.Json.Utf8JsonReader reader)
        {
        }
    }
}
