using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.AspNetCore;

namespace ScopeClaims.Load;

/// <summary>
/// The servers under load, each in its own process so that its allocations are its own: one GET endpoint behind
/// JwtBearer (a local HS256 key, no network) and one authorization policy, differing only in how the scope is checked.
/// </summary>
internal static class Servers
{
    public const string KeyVariable = "SCOPECLAIMS_LOAD_KEY";
    public const string Issuer = "https://idp.load.example/";
    public const string Audience = "https://api.load.example";

    public static async Task<int> ServeAsync(string variant, string keyBase64)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var key = new SymmetricSecurityKey(Convert.FromBase64String(keyBase64)) { KeyId = "load" };

        if (variant != "partner-api")
        {
            var authentication = builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = Issuer,
                    ValidAudience = Audience,
                    IssuerSigningKey = key,
                    ValidAlgorithms = ["HS256"],
                };
            });
            if (variant.StartsWith("scopeclaims", StringComparison.Ordinal))
            {
                authentication.AddScopeNormalization();
            }

            builder.Services.AddSingleton<IAuthorizationHandler, HasScopeHandler>();
            builder.Services.AddAuthorization(options => options.AddPolicy("scope", policy =>
            {
                policy.RequireAuthenticatedUser();
                _ = variant switch
                {
                    "bare" => policy.RequireClaim("scope", "read:a"),
                    "scopeclaims" => policy.RequireScope("read:a"),
                    "hasscope" => policy.AddRequirements(new HasScopeRequirement("read:c", Issuer)),
                    "scopeclaims5" => policy.RequireScope("read:c"),
                    _ => throw new ArgumentException($"unknown variant {variant}"),
                };
            }));
        }

        var app = builder.Build();
        if (variant == "partner-api")
        {
            // The partner: its token endpoint (called once by the grant, then cached) and an API that checks the header.
            app.MapPost("/oauth2/token", static () => Results.Text("{\"access_token\":\"partner-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}", "application/json"));
            app.MapGet("/api/items", static (HttpContext context) =>
                context.Request.Headers.Authorization == "Bearer partner-token" ? Results.Text("ok") : Results.Unauthorized());
        }
        else
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/api/items", static () => Results.Text("ok")).RequireAuthorization("scope");
        }

        app.MapGet("/__stats", static () => Results.Text($"{GC.GetTotalAllocatedBytes(false)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {Environment.CpuUsage.TotalTime.Ticks}"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Console.Out.WriteLine("listening " + address);
        Console.Out.Flush();

        // Note: the server stops when the driver closes its stdin (or dies), so no server outlives a run.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    /// <summary>The authorization handler the Auth0 and ASP.NET Core samples teach: split "scope" on spaces, look for one.</summary>
    internal sealed class HasScopeRequirement(string scope, string issuer) : IAuthorizationRequirement
    {
        public string Scope { get; } = scope;

        public string Issuer { get; } = issuer;
    }

    internal sealed class HasScopeHandler : AuthorizationHandler<HasScopeRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, HasScopeRequirement requirement)
        {
            if (!context.User.HasClaim(c => c.Type == "scope" && c.Issuer == requirement.Issuer))
            {
                return Task.CompletedTask;
            }

            var scopes = context.User.FindFirst(c => c.Type == "scope" && c.Issuer == requirement.Issuer)!.Value.Split(' ');
            if (scopes.Any(s => s == requirement.Scope))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
