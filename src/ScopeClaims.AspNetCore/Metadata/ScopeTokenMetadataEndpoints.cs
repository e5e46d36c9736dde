using System;
using System.Buffers;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>Serves the public JWK set and the discovery document of one token profile.</summary>
internal sealed class ScopeTokenMetadataEndpoints
{
    // How long clients and shared caches may keep a response: long enough to spare the endpoint, short enough that a
    // newly published key is fetched soon.
    private const string CacheControl = "public, max-age=300";

    private const string JwksSegment = "jwks.json";
    private const string DiscoverySegment = "openid-configuration";

    private readonly IScopeTokenIssuer _issuer;

    private ScopeTokenMetadataEndpoints(IScopeTokenIssuer issuer) => _issuer = issuer;

    public static string JwksRelativePath => ".well-known/" + JwksSegment;

    public static string DiscoveryRelativePath => ".well-known/" + DiscoverySegment;

    /// <summary>Resolves the profile's issuer when the endpoint is mapped, so that a missing or invalid profile fails at start-up.</summary>
    public static ScopeTokenMetadataEndpoints Create(IServiceProvider services, string? profileName)
    {
        var factory = services.GetService<IScopeTokenIssuerFactory>()
            ?? throw new InvalidOperationException("No ScopeClaims token profile is registered: call builder.Services.AddArrayScopeTokens(...) or AddScopeTokens(...) before mapping the JWKS endpoint.");
        var name = profileName ?? Options.DefaultName;
        var issuer = factory.GetIssuer(name);
        if (issuer.Keys.Keys.All(static k => k.IsSymmetric))
        {
            var profile = name.Length == 0 ? "The default token profile" : $"The token profile '{name}'";
            throw new InvalidOperationException($"{profile} signs with an HMAC key, which is a shared secret and is never published; sign with an RSA or EC key for partners who fetch your JWKS.");
        }

        return new ScopeTokenMetadataEndpoints(issuer);
    }

    public Task WriteJwksAsync(HttpContext context) =>
        WriteAsync(context, Encoding.UTF8.GetBytes(_issuer.Keys.ExportPublicJwks()));

    public Task WriteDiscoveryAsync(HttpContext context)
    {
        // Note: jwks_uri is absolute (RFC 8414 §2) and follows the request's scheme, host and path base, so behind a
        // proxy use the forwarded-headers middleware and host filtering (AllowedHosts). The JWK set is mapped beside
        // this endpoint: its path is this one with the last segment replaced (routing also matches a trailing slash).
        var request = context.Request;
        var path = (request.Path.Value ?? string.Empty).TrimEnd('/');
        var jwksPath = string.Concat(path.AsSpan(0, path.LastIndexOf('/') + 1), JwksSegment);
        var jwksUri = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, new PathString(jwksPath));

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("issuer", _issuer.Issuer);
            writer.WriteString("jwks_uri", jwksUri);
            TokenExchangeEndpointMetadata.WriteDiscoveryMembers(writer, context);
            writer.WriteEndObject();
        }

        return WriteAsync(context, buffer.WrittenMemory.ToArray());
    }

    private static Task WriteAsync(HttpContext context, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        response.Headers.CacheControl = CacheControl;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
