using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.AspNetCore;
using ScopeClaims.Tests.Conversion;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Observability.Tests.Infrastructure;

/// <summary>
/// An API on Kestrel (127.0.0.1) accepting the tokens of <see cref="SourceTokens"/> through JwtBearer with scope
/// normalization: <c>/read</c> requires <c>read:a</c> on the endpoint, <c>/write</c> the policy "write" (all of
/// <c>write:b</c>).
/// </summary>
internal sealed class ProtectedApi : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private ProtectedApi(LoopbackServer server)
    {
        _server = server;
        Client = new HttpClient { BaseAddress = server.Address };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _server.Services;

    public static async Task<ProtectedApi> StartAsync(Action<WebApplicationBuilder>? configure = null)
    {
        var server = await LoopbackServer.StartAsync(
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/read", () => "read").RequireScope("read:a");
                app.MapGet("/write", () => "write").RequireAuthorization("write");
            },
            builder =>
            {
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                    .AddJwtBearer(o =>
                    {
                        o.MapInboundClaims = false;
                        o.TokenValidationParameters = new TokenValidationParameters
                        {
                            ValidIssuer = SourceTokens.Auth0,
                            ValidAudience = SourceTokens.Api,
                            IssuerSigningKey = SourceTokens.PublicKey(SourceTokens.IssuerKey),
                        };
                    })
                    .AddScopeNormalization();
                builder.Services.AddAuthorization(o => o.AddPolicy("write", p => p.RequireAllScopes("write:b")));
                configure?.Invoke(builder);
            });
        return new ProtectedApi(server);
    }

    public async Task<int> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
