using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.Testing.Partner;

/// <summary>
/// A strict fake partner for tests: an OAuth 2.0 token endpoint and an API on 127.0.0.1 (Kestrel, a free port),
/// started by <see cref="StartAsync"/> and stopped by <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// The token endpoint (<see cref="TokenEndpoint"/>) takes the JWT-bearer grant (RFC 7523 §2.1) and, when
/// <see cref="FakePartnerOptions.GrantTypes"/> names it, client credentials (RFC 6749 §4.4). It verifies a JWT-bearer
/// assertion and a <c>private_key_jwt</c> client assertion as a strict partner does: signature against the client's
/// JWKS (the rules of <c>ScopeTokenAssertions.IsValidAgainstJwks</c>: kid-selected keys bound to their algorithm, no
/// <c>none</c>, exact times with no skew), <c>iss</c>, <c>sub</c>, an exact <c>aud</c>, an <c>exp</c> no further than
/// <see cref="FakePartnerOptions.MaxAssertionLifetime"/>, a <c>jti</c> used once, and the <c>scope</c> claim's shape
/// (<see cref="FakePartnerOptions.ScopeRule"/>). It answers a random opaque token, or an RFC 6749 §5.2 error whose
/// description says which rule failed. Failures queued with <see cref="FailNextTokenRequests"/> replace the next answers.
/// </para>
/// <para>
/// The API (<see cref="ApiBase"/>, any path and method) answers 200 to a request carrying a token this partner issued
/// and has not revoked (<see cref="RevokeIssuedTokens"/>), and 401 with <c>WWW-Authenticate: Bearer</c> otherwise. The
/// RFC 8414 metadata is served at <c>/.well-known/oauth-authorization-server</c>.
/// </para>
/// </remarks>
public sealed partial class FakePartner : IAsyncDisposable
{
    private static readonly string[] s_signingAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private readonly WebApplication _app;
    private readonly FakePartnerVerifier _verifier;
    private readonly ConcurrentQueue<FakePartnerFailure> _failures = new();
    private readonly ConcurrentDictionary<string, ScopeSet> _validTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakePartnerTokenRequest> _tokenRequests = new();
    private readonly ConcurrentQueue<FakePartnerApiRequest> _apiRequests = new();
    private int _disposed;

    private FakePartner(WebApplication app, FakePartnerVerifier verifier, Uri address)
    {
        _app = app;
        _verifier = verifier;
        Address = address;
        TokenEndpoint = new Uri(address, TokenPath);
        ApiBase = new Uri(address, ApiPath + "/");
        MetadataAddress = new Uri(address, MetadataPath);
    }

    /// <summary>Gets the partner's base address, <c>http://127.0.0.1:{port}/</c>; also the <c>issuer</c> of its metadata.</summary>
    public Uri Address { get; }

    /// <summary>Gets the token endpoint: <c>http://127.0.0.1:{port}/oauth2/token</c>.</summary>
    public Uri TokenEndpoint { get; }

    /// <summary>Gets the API's base address, ending in a slash: <c>http://127.0.0.1:{port}/api/</c>.</summary>
    public Uri ApiBase { get; }

    /// <summary>Gets the RFC 8414 metadata address: <c>http://127.0.0.1:{port}/.well-known/oauth-authorization-server</c>.</summary>
    public Uri MetadataAddress { get; }

    /// <summary>Gets every token request received, in order of arrival.</summary>
    public IReadOnlyList<FakePartnerTokenRequest> TokenRequests => _tokenRequests.ToArray();

    /// <summary>Gets every API request received, in order of arrival.</summary>
    public IReadOnlyList<FakePartnerApiRequest> ApiRequests => _apiRequests.ToArray();

    /// <summary>Gets the access tokens issued so far.</summary>
    public IReadOnlyList<string> IssuedTokens => _tokenRequests.Select(static r => r.IssuedToken).OfType<string>().ToArray();

    /// <summary>Starts a partner on 127.0.0.1 with a free port.</summary>
    /// <param name="options">What the partner requires; read once, here.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started partner; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">An option is missing or out of range; the message names it.</exception>
    public static async Task<FakePartner> StartAsync(FakePartnerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = FakePartnerSettings.From(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakePartner? partner = null;
        app.MapPost(TokenPath, context => partner!.HandleTokenRequestAsync(context));
        app.MapGet(MetadataPath, context => partner!.HandleMetadataAsync(context));
        app.Map(ApiPath + "/{**path}", context => partner!.HandleApiRequestAsync(context));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            var baseAddress = new Uri(address.TrimEnd('/') + "/");
            var verifier = new FakePartnerVerifier(settings, settings.Audience ?? new Uri(baseAddress, TokenPath).AbsoluteUri);
            partner = new FakePartner(app, verifier, baseAddress);
            return partner;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Makes the next <paramref name="count"/> token requests fail with <paramref name="failure"/>, before any check.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="count">How many requests; from 1 to 10,000.</param>
    public void FailNextTokenRequests(FakePartnerFailure failure, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 10_000);
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue(failure);
        }
    }

    /// <summary>Makes every token issued so far unacceptable to the API, as a partner does when it revokes or rotates.</summary>
    public void RevokeIssuedTokens() => _validTokens.Clear();

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private Task HandleMetadataAsync(HttpContext context)
    {
        var methods = _verifier.Settings.ClientAuthentication switch
        {
            FakePartnerClientAuthentication.ClientSecretBasic => "client_secret_basic",
            FakePartnerClientAuthentication.ClientSecretPost => "client_secret_post",
            FakePartnerClientAuthentication.PrivateKeyJwt => "private_key_jwt",
            _ => "none",
        };
        var body = FakePartnerJson.Object(
            ("issuer", Address.AbsoluteUri),
            ("token_endpoint", TokenEndpoint.AbsoluteUri),
            ("grant_types_supported", _verifier.Settings.GrantTypes.Order(StringComparer.Ordinal).ToArray()),
            ("token_endpoint_auth_methods_supported", new[] { methods }),
            ("token_endpoint_auth_signing_alg_values_supported", s_signingAlgorithms));
        return Answer(context, StatusCodes.Status200OK, "application/json", body);
    }

    private Task HandleApiRequestAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.Count == 1 ? context.Request.Headers.Authorization.ToString() : null;
        const string Bearer = "Bearer ";
        var accepted = authorization is not null
            && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && _validTokens.ContainsKey(authorization[Bearer.Length..]);
        var path = (context.Request.RouteValues["path"] as string) ?? string.Empty;
        _apiRequests.Enqueue(new FakePartnerApiRequest(context.Request.Method, path, authorization, accepted));
        if (!accepted)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Answer(context, StatusCodes.Status401Unauthorized, "application/json", FakePartnerJson.Object(("error", "invalid_token")));
        }

        return Answer(context, StatusCodes.Status200OK, "application/json", FakePartnerJson.Object(("method", context.Request.Method), ("path", path)));
    }

    private static Task Answer(HttpContext context, int status, string? contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        if (contentType is not null)
        {
            context.Response.ContentType = contentType;
        }

        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
