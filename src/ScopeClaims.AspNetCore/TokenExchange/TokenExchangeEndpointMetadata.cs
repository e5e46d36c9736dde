using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Marks the token-exchange endpoint in the route table and says what discovery advertises for it (RFC 8414 §2:
/// <c>token_endpoint</c>, <c>grant_types_supported</c>, <c>token_endpoint_auth_methods_supported</c>).
/// </summary>
internal sealed class TokenExchangeEndpointMetadata
{
    private readonly string? _configuredEndpoint;

    public TokenExchangeEndpointMetadata(TokenExchangeOptions options)
    {
        _configuredEndpoint = options.TokenEndpoint?.AbsoluteUri;
        var methods = new List<string>();
        if (options.Clients.Any(static c => c?.SecretHash is not null))
        {
            methods.Add("client_secret_basic");
            methods.Add("client_secret_post");
        }

        if (options.Clients.Any(static c => c?.JwksJson is not null))
        {
            methods.Add("private_key_jwt");
        }

        if (options.AllowAnonymousClients)
        {
            methods.Add("none");
        }

        AuthMethods = methods.ToArray();
    }

    public string[] AuthMethods { get; }

    /// <summary>Writes the token endpoint's members into a discovery document, when the endpoint is mapped in this application.</summary>
    public static void WriteDiscoveryMembers(Utf8JsonWriter writer, HttpContext context)
    {
        var source = context.RequestServices.GetService<EndpointDataSource>();
        var endpoint = source?.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(static e => e.Metadata.GetMetadata<TokenExchangeEndpointMetadata>() is not null);
        if (endpoint?.Metadata.GetMetadata<TokenExchangeEndpointMetadata>() is not { } metadata)
        {
            return;
        }

        // Note: only the configured TokenEndpoint is advertised, never a URL built from the request's Host header: the
        // document is cacheable, and the advertised URL is the one client assertions must name as aud.
        if (metadata._configuredEndpoint is not { } url)
        {
            return;
        }

        writer.WriteString("token_endpoint", url);
        writer.WriteStartArray("grant_types_supported");
        writer.WriteStringValue(TokenExchangeParameters.TokenExchangeGrant);
        writer.WriteEndArray();
        writer.WriteStartArray("token_endpoint_auth_methods_supported");
        foreach (var method in metadata.AuthMethods)
        {
            writer.WriteStringValue(method);
        }

        writer.WriteEndArray();
        if (metadata.AuthMethods.Contains("private_key_jwt"))
        {
            writer.WriteStartArray("token_endpoint_auth_signing_alg_values_supported");
            foreach (var alg in ClientAssertionValidator.Algorithms)
            {
                writer.WriteStringValue(alg);
            }

            writer.WriteEndArray();
        }
    }
}
