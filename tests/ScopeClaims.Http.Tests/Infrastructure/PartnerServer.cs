using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Http;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Http.Tests.Infrastructure;

/// <summary>
/// A partner on 127.0.0.1 (Kestrel, random port): a token endpoint that verifies the JWT-bearer assertion against the
/// client's published JWKS with the RFC 7523 §3 rules plus this partner's own rule that <c>scope</c> is a JSON array,
/// and issues opaque tokens; and an API that accepts only those tokens.
/// </summary>
internal sealed class PartnerServer : IAsyncDisposable
{
    public static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, bool> _validTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _seenJwtIds = new(StringComparer.Ordinal);
    private readonly IList<SecurityKey> _keys;
    private int _tokenRequests;
    private int _apiRequests;
    private int _elsewhereRequests;
    private LoopbackServer? _server;

    private PartnerServer(string jwks, string clientId)
    {
        _keys = new JsonWebKeySet(jwks).GetSigningKeys();
        ClientId = clientId;
    }

    public string ClientId { get; }

    public Uri TokenEndpoint { get; private set; } = null!;

    public Uri ApiBase { get; private set; } = null!;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public int ApiRequests => Volatile.Read(ref _apiRequests);

    /// <summary>Requests received on <see cref="Elsewhere"/>, the same-origin target of a redirect.</summary>
    public int ElsewhereRequests => Volatile.Read(ref _elsewhereRequests);

    /// <summary>A second token endpoint on this server, that issues tokens the API accepts, for same-origin redirects.</summary>
    public Uri Elsewhere { get; private set; } = null!;

    /// <summary>Every assertion received, every token issued: what must never appear in a log.</summary>
    public ConcurrentQueue<string> Secrets { get; } = new();

    /// <summary>The form fields and Authorization header of the last token request.</summary>
    public Dictionary<string, string> LastForm { get; private set; } = new();

    public string? LastAuthorization { get; private set; }

    /// <summary>The last verified assertion.</summary>
    public JsonWebToken? LastAssertion { get; private set; }

    /// <summary>Client authentication this partner requires, with the secret it expects.</summary>
    public ClientAuthenticationMethod RequiredAuthentication { get; set; }

    public string? ExpectedSecret { get; set; }

    /// <summary>expires_in to send; <see langword="null"/> leaves it out.</summary>
    public int? ExpiresIn { get; set; } = 3600;

    /// <summary>When set, the token endpoint answers with this (status, content type or null for none, body) instead of checking anything.</summary>
    public (int Status, string? ContentType, string Body)? CannedTokenResponse { get; set; }

    /// <summary>When set, the token endpoint answers with what this returns for the form fields and Authorization header it received.</summary>
    public Func<IReadOnlyDictionary<string, string>, string, (int Status, string? ContentType, string Body)>? TokenResponder { get; set; }

    /// <summary>When true, every token endpoint response echoes the request's Authorization header and form body in response headers.</summary>
    public bool EchoRequestInHeaders { get; set; }

    /// <summary>When set, the token endpoint answers this redirect (status, Location) after reading the form.</summary>
    public (int Status, Uri Location)? TokenRedirect { get; set; }

    /// <summary>When set, the API answers this redirect (status, Location) to every request.</summary>
    public (int Status, Uri Location)? ApiRedirect { get; set; }

    /// <summary>How long the token endpoint waits before answering (cancelled when the client goes away).</summary>
    public TimeSpan TokenDelay { get; set; }

    /// <summary>When true the API answers 401 to every token.</summary>
    public bool ApiRejectsEverything { get; set; }

    /// <summary>When set, every API request is recorded: its path, the bearer token it carried, whether it was accepted.</summary>
    public ConcurrentQueue<(string Path, string Token, bool Accepted)>? ApiLog { get; set; }

    /// <summary>How long the API waits before answering, so that calls stay in flight together.</summary>
    public TimeSpan ApiDelay { get; set; }

    public static async Task<PartnerServer> StartAsync(string jwks, string clientId)
    {
        var server = new PartnerServer(jwks, clientId);
        server._server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/oauth2/token", server.TokenAsync);
            app.Map("/oauth2/elsewhere", server.ElsewhereAsync);
            app.MapMethods("/api/{**path}", new[] { "GET", "POST", "PUT" }, server.ApiAsync);
        });
        var address = server._server.Address;
        server.TokenEndpoint = new Uri(address, "/oauth2/token");
        server.ApiBase = new Uri(address, "/api/");
        server.Elsewhere = new Uri(address, "/oauth2/elsewhere");
        return server;
    }

    /// <summary>Makes the API accept <paramref name="token"/>, for a token a test's own responder hands out.</summary>
    public void Accept(string token)
    {
        _validTokens[token] = true;
        Secrets.Enqueue(token);
    }

    /// <summary>Makes every token issued so far unacceptable to the API, as a partner does when it revokes or rotates.</summary>
    public void RevokeIssuedTokens() => _validTokens.Clear();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task TokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (TokenDelay > TimeSpan.Zero)
        {
            await Task.Delay(TokenDelay, context.RequestAborted);
        }

        var form = await context.Request.ReadFormAsync();
        LastForm = form.ToDictionary(f => f.Key, f => f.Value.ToString());
        LastAuthorization = context.Request.Headers.Authorization.ToString();
        if (LastForm.TryGetValue("assertion", out var received))
        {
            Secrets.Enqueue(received);
        }

        if (EchoRequestInHeaders)
        {
            context.Response.Headers["X-Echo-Authorization"] = LastAuthorization;
            context.Response.Headers["X-Echo-Body"] = string.Join("&", LastForm.Select(f => $"{f.Key}={f.Value}"));
        }

        if (TokenRedirect is { } redirect)
        {
            context.Response.StatusCode = redirect.Status;
            context.Response.Headers.Location = redirect.Location.AbsoluteUri;
            return;
        }

        if ((TokenResponder?.Invoke(LastForm, LastAuthorization ?? string.Empty) ?? CannedTokenResponse) is { } canned)
        {
            context.Response.StatusCode = canned.Status;
            if (canned.ContentType is not null)
            {
                context.Response.ContentType = canned.ContentType;
            }

            await context.Response.WriteAsync(canned.Body);
            return;
        }

        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            await ErrorAsync(context, 400, "unsupported_grant_type", "Only the JWT-bearer grant is supported.");
            return;
        }

        if (CheckClient(context, form) is { } clientError)
        {
            await ErrorAsync(context, 401, "invalid_client", clientError);
            return;
        }

        if (await CheckAssertionAsync(form["assertion"].ToString()) is { } grantError)
        {
            await ErrorAsync(context, 400, "invalid_grant", grantError);
            return;
        }

        var token = "pt_" + Base64UrlEncoder.Encode(Guid.NewGuid().ToByteArray()) + Base64UrlEncoder.Encode(Guid.NewGuid().ToByteArray());
        _validTokens[token] = true;
        Secrets.Enqueue(token);
        var response = new Dictionary<string, object> { ["access_token"] = token, ["token_type"] = "Bearer" };
        if (ExpiresIn is { } expiresIn)
        {
            response["expires_in"] = expiresIn;
        }

        await context.Response.WriteAsJsonAsync(response);
    }

    // Note: answers whatever reaches it (a re-sent POST, or the GET a 301/302/303 turns it into) with a token the API accepts.
    private async Task ElsewhereAsync(HttpContext context)
    {
        Interlocked.Increment(ref _elsewhereRequests);
        var token = "pt_elsewhere_" + Guid.NewGuid().ToString("N");
        _validTokens[token] = true;
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = 3600 });
    }

    private string? CheckClient(HttpContext context, IFormCollection form)
    {
        switch (RequiredAuthentication)
        {
            case ClientAuthenticationMethod.ClientSecretBasic:
                var header = context.Request.Headers.Authorization.ToString();
                if (!header.StartsWith("Basic ", StringComparison.Ordinal))
                {
                    return "Basic client authentication is required.";
                }

                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':');
                return pair.Length == 2 && WebUtility.UrlDecode(pair[0]) == ClientId && WebUtility.UrlDecode(pair[1]) == ExpectedSecret ? null : "Bad client credentials.";
            case ClientAuthenticationMethod.ClientSecretPost:
                return form["client_id"] == ClientId && form["client_secret"] == ExpectedSecret ? null : "Bad client credentials.";
            default:
                return form.ContainsKey("client_secret") || context.Request.Headers.ContainsKey("Authorization") ? "No client authentication was expected." : null;
        }
    }

    // RFC 7523 §3, applied as a partner would: signature by a key of the client's JWKS, iss, sub, aud = this token
    // endpoint, exp present and not far off, jti not replayed; and this partner's rule: scope is a JSON array.
    private async Task<string?> CheckAssertionAsync(string assertion)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = ClientId,
            ValidAudience = TokenEndpoint.AbsoluteUri,
            IssuerSigningKeys = _keys,
            ValidAlgorithms = new[] { SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256 },
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        if (!result.IsValid)
        {
            return $"The assertion was refused: {result.Exception?.GetType().Name}.";
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (jwt.Subject != ClientId)
        {
            return "sub must be the client id.";
        }

        if (jwt.ValidTo - DateTime.UtcNow > MaxAssertionLifetime + TimeSpan.FromSeconds(30))
        {
            return "exp is too far in the future.";
        }

        if (string.IsNullOrEmpty(jwt.Id) || !_seenJwtIds.TryAdd(jwt.Id, true))
        {
            return "jti is missing or was used before.";
        }

        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        if (!payload.RootElement.TryGetProperty("scope", out var scope) || scope.ValueKind != JsonValueKind.Array)
        {
            return "scope must be a JSON array.";
        }

        LastAssertion = jwt;
        return null;
    }

    private async Task ApiAsync(HttpContext context)
    {
        Interlocked.Increment(ref _apiRequests);
        if (ApiRedirect is { } redirect)
        {
            context.Response.StatusCode = redirect.Status;
            context.Response.Headers.Location = redirect.Location.AbsoluteUri;
            return;
        }

        if (ApiDelay > TimeSpan.Zero)
        {
            await Task.Delay(ApiDelay, context.RequestAborted);
        }

        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : string.Empty;
        var accepted = !ApiRejectsEverything && _validTokens.ContainsKey(token) && context.Request.Headers.Authorization.Count == 1;
        ApiLog?.Enqueue((context.Request.Path.Value ?? string.Empty, token, accepted));
        if (!accepted)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return;
        }

        using var body = new StreamReader(context.Request.Body);
        await context.Response.WriteAsync($"ok {context.Request.Method} {context.Request.Path}: {await body.ReadToEndAsync()}");
    }

    private static Task ErrorAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description });
    }
}
