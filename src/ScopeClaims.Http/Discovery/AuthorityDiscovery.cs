using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using ScopeClaims.Internal;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Finds a client's token endpoint from its <see cref="JwtBearerGrantOptions.Authority"/>'s RFC 8414 metadata, once
/// per client, before its first token request; one read however many first requests wait. A failure throws an
/// <see cref="AuthorityMetadataException"/> and sets nothing, so the next request reads the metadata again.
/// </summary>
/// <remarks>
/// The metadata is read from <c>/.well-known/oauth-authorization-server</c> (RFC 8414 §3.1, inserted before the
/// authority's path), and from <c>/.well-known/openid-configuration</c> (OpenID Connect Discovery) when that answers
/// 404. It is read with the token client, so it never follows a redirect; any 3xx is refused. The metadata's
/// <c>issuer</c> must be the authority (RFC 8414 §3.3), <c>token_endpoint</c> an absolute <c>https</c> URL (<c>http</c>
/// on loopback only) without user info or fragment, and <c>token_endpoint_auth_methods_supported</c> (default
/// <c>client_secret_basic</c>, RFC 8414 §2) must name the configured method; <c>grant_types_supported</c>, when
/// present, must name the grant. For <c>private_key_jwt</c>, <c>token_endpoint_auth_signing_alg_values_supported</c>,
/// when present, is kept, and a client assertion is signed only with an algorithm it lists (RFC 8414 §2 implies no
/// default when it is absent, so then nothing is checked).
/// </remarks>
internal sealed class AuthorityDiscovery
{
    private const int MaxBytes = 64 * 1024;
    private const int MaxDepth = 64;

    private readonly IHttpClientFactory _clients;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<Discovered>>> _reads = new(StringComparer.Ordinal);

    public AuthorityDiscovery(IHttpClientFactory clients, ILogger logger)
    {
        _clients = clients;
        _logger = logger;
    }

    /// <summary>Sets <paramref name="options"/>' token endpoint from its authority's metadata, unless already set.</summary>
    /// <remarks>
    /// One read per client however many callers wait; a caller that gives up stops waiting, not the read (which
    /// <see cref="JwtBearerGrantOptions.TokenRequestTimeout"/> bounds). A finished read is forgotten, so that a failed
    /// one is tried again by the next request.
    /// </remarks>
    public async ValueTask ResolveAsync(string clientName, JwtBearerGrantOptions options, CancellationToken cancellationToken)
    {
        var read = _reads.GetOrAdd(clientName, static (name, state) => new Lazy<Task<Discovered>>(() => state.Self.DiscoverAsync(name, state.Options, CancellationToken.None)), (Self: this, Options: options));
        try
        {
            var discovered = await read.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (options.TokenEndpoint is null)
            {
                // Note: the algorithms first: a request that sees the endpoint set no longer waits for discovery.
                options.ClientAssertionAlgorithms = discovered.ClientAssertionAlgorithms;
                options.TokenEndpoint = discovered.TokenEndpoint;
            }
        }
        finally
        {
            if (read.Value.IsCompleted)
            {
                _reads.TryRemove(new KeyValuePair<string, Lazy<Task<Discovered>>>(clientName, read));
            }
        }
    }

    private async Task<Discovered> DiscoverAsync(string clientName, JwtBearerGrantOptions options, CancellationToken cancellationToken)
    {
        var authority = options.Authority!;
        var path = authority.AbsolutePath.TrimEnd('/');
        var oauth = new Uri(authority.GetLeftPart(UriPartial.Authority) + "/.well-known/oauth-authorization-server" + path);
        var body = await GetAsync(clientName, options, oauth, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            var openId = new Uri(authority.GetLeftPart(UriPartial.Authority) + path + "/.well-known/openid-configuration");
            body = await GetAsync(clientName, options, openId, cancellationToken).ConfigureAwait(false)
                ?? throw Invalid(clientName, authority, "neither /.well-known/oauth-authorization-server (RFC 8414) nor /.well-known/openid-configuration exists (HTTP 404)");
        }

        var discovered = Read(clientName, options, body);
        Log.TokenEndpointDiscovered(_logger, clientName, authority, discovered.TokenEndpoint);
        return discovered;
    }

    /// <summary>Gets one metadata document; <see langword="null"/> on 404.</summary>
    private async Task<byte[]?> GetAsync(string clientName, JwtBearerGrantOptions options, Uri address, CancellationToken cancellationToken)
    {
        var authority = options.Authority;
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = new CancellationTokenSource(options.TokenRequestTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _clients.CreateClient(options.TokenClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (status is >= 300 and <= 399 || !SameUrl(request.RequestUri, address) || (response.RequestMessage is { } answered && !SameUrl(answered.RequestUri, address)))
            {
                throw Invalid(clientName, authority, $"{address} answered with a redirect (HTTP {status}), which metadata requests never follow");
            }

            if (status != 200)
            {
                throw Invalid(clientName, authority, $"{address} answered HTTP {status}");
            }

            if (response.Content.Headers.ContentType?.MediaType is not { } media
                || !(media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))))
            {
                throw Invalid(clientName, authority, $"{address} did not answer with application/json (RFC 8414 §3.2)");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                throw Invalid(clientName, authority, "the document is larger than 64 KiB");
            }

            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return body.Length > MaxBytes ? throw Invalid(clientName, authority, "the document is larger than 64 KiB") : body;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Invalid(clientName, authority, $"{address} did not answer within TokenRequestTimeout", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Invalid(clientName, authority, $"{address} could not be reached ({ex.Message})", ex);
        }
    }

    private Discovered Read(string clientName, JwtBearerGrantOptions options, byte[] body)
    {
        var authority = options.Authority!;
        var visitor = default(NoVisitor);
        if (!System.Text.Unicode.Utf8.IsValid(body) || JsonGuard.Check(body, MaxDepth, ref visitor) != JsonGuard.Verdict.Ok)
        {
            throw Invalid(clientName, authority, "the document is not one JSON object of valid Unicode, each member named once");
        }

        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth + 1 });
        var json = document.RootElement;
        var issuer = String(json, "issuer");
        if (issuer is null || !(issuer == authority.OriginalString || issuer == authority.AbsoluteUri))
        {
            throw Invalid(clientName, authority, "its issuer is not the configured Authority (RFC 8414 §3.3 requires them to be identical); set Authority to the server's issuer identifier");
        }

        if (String(json, "token_endpoint") is not { } text || !Uri.TryCreate(text, UriKind.Absolute, out var endpoint)
            || !(endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && IsLoopback(endpoint)))
            || endpoint.UserInfo.Length > 0 || endpoint.Fragment.Length > 0)
        {
            throw Invalid(clientName, authority, "token_endpoint is missing, or not an absolute https URL (http on loopback only) without user info or fragment");
        }

        var method = MethodName(options.ClientAuthentication);
        var methods = Strings(json, "token_endpoint_auth_methods_supported") ?? ["client_secret_basic"];
        if (!methods.Contains(method))
        {
            throw Invalid(clientName, authority, $"token_endpoint_auth_methods_supported does not name {method}, the configured ClientAuthentication ({options.ClientAuthentication})");
        }

        var grantType = options.Grant?.GrantType ?? TokenEndpointClient.GrantType;
        if (Strings(json, "grant_types_supported") is { } grants && !grants.Contains(grantType))
        {
            throw Invalid(clientName, authority, $"grant_types_supported does not name {grantType}");
        }

        var algorithms = options.ClientAuthentication == ClientAuthenticationMethod.PrivateKeyJwt ? Strings(json, "token_endpoint_auth_signing_alg_values_supported") : null;
        return new Discovered(endpoint, algorithms);
    }

    /// <summary>What a client takes from the metadata.</summary>
    private sealed record Discovered(Uri TokenEndpoint, IReadOnlySet<string>? ClientAssertionAlgorithms);

    /// <summary>The RFC 7591 <c>token_endpoint_auth_method</c> name of a method.</summary>
    internal static string MethodName(ClientAuthenticationMethod method) => method switch
    {
        ClientAuthenticationMethod.ClientSecretBasic => "client_secret_basic",
        ClientAuthenticationMethod.ClientSecretPost => "client_secret_post",
        ClientAuthenticationMethod.PrivateKeyJwt => "private_key_jwt",
        _ => "none",
    };

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static HashSet<string>? Strings(JsonElement json, string name)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                set.Add(item.GetString()!);
            }
        }

        return set;
    }

    private static bool SameUrl(Uri? uri, Uri target) =>
        uri is { IsAbsoluteUri: true } && Uri.Compare(uri, target, UriComponents.HttpRequestUrl, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;

    private AuthorityMetadataException Invalid(string clientName, Uri? authority, string problem, Exception? inner = null)
    {
        Log.AuthorityMetadataRefused(_logger, clientName, authority, problem);
        return new AuthorityMetadataException(authority, problem, inner);
    }

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
        }
    }
}
