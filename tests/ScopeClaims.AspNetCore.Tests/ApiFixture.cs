using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.AspNetCore.Tests;

/// <summary>
/// Two APIs on Kestrel, JwtBearer plus AddScopeNormalization: one with MapInboundClaims on and the application's events
/// set as an instance, one with MapInboundClaims off and the events set as a type resolved from DI.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string SeenByUserEvents = "X-Seen-By-User-Events";
    public const string AddUnauthenticatedIdentity = "X-Add-Unauthenticated-Identity";

    private KestrelApp? _mapped;
    private KestrelApp? _unmapped;

    internal KestrelApp Api(bool mapInboundClaims) => (mapInboundClaims ? _mapped : _unmapped) ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _mapped = await StartAsync(mapInboundClaims: true);
        _unmapped = await StartAsync(mapInboundClaims: false);
    }

    public async Task DisposeAsync()
    {
        await _mapped!.DisposeAsync();
        await _unmapped!.DisposeAsync();
    }

    internal static Task<KestrelApp> StartAsync(bool mapInboundClaims) => KestrelApp.StartAsync(
        builder =>
        {
            builder.Services.AddScoped<RecordingEvents>();
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(o =>
                {
                    o.MapInboundClaims = mapInboundClaims;
                    o.TokenValidationParameters = TestTokens.ValidationParameters();
                    if (mapInboundClaims)
                    {
                        o.Events = new JwtBearerEvents { OnTokenValidated = RecordingEvents.Record };
                    }
                    else
                    {
                        o.EventsType = typeof(RecordingEvents);
                    }
                })
                .AddScopeNormalization();
            builder.Services.AddAuthorization(o => o.AddPolicy("read-and-write", p => p.RequireScope("read:a").RequireScope("write:b")));
            builder.Services.AddControllers().AddApplicationPart(typeof(ScopesController).Assembly);
        },
        app =>
        {
            app.UseAuthentication();
            app.Use((context, next) =>
            {
                // An identity nobody authenticated, claiming every scope: it must never count.
                if (context.Request.Headers.ContainsKey(AddUnauthenticatedIdentity))
                {
                    context.User.AddIdentity(new ClaimsIdentity(new[] { new Claim("scope", "admin"), new Claim("scope", "read:a") }));
                }

                return next(context);
            });
            app.UseAuthorization();

            app.MapGet("/any", () => "ok").RequireScope("read:a", "admin");
            app.MapGet("/all", () => "ok").RequireAllScopes("read:a", "write:b");
            app.MapGet("/all-missing", () => "ok").RequireAllScopes("read:a", "admin");
            app.MapGet("/admin", () => "ok").RequireScope("admin");
            app.MapGet("/upper", () => "ok").RequireScope("READ:A");

            // The platform's own claim checks, which compare claim types ignoring case.
            app.MapGet("/claim/scope", () => "ok").RequireAuthorization(p => p.RequireClaim("scope", "admin"));
            app.MapGet("/claim/scp", () => "ok").RequireAuthorization(p => p.RequireClaim("scp", "admin"));
            app.MapGet("/claim/mapped", () => "ok").RequireAuthorization(p => p.RequireClaim(ScopeClaimTypes.MicrosoftScope, "admin"));
            app.MapGet("/has-claim", (HttpContext context) => context.User.HasClaim("scope", "admin") || context.User.HasClaim("scp", "admin") ? "granted" : "denied").RequireAuthorization();
            app.MapGet("/policy", () => "ok").RequireAuthorization("read-and-write");
            app.MapGet("/attribute", [RequireScope("write:b")] () => "ok");
            app.MapGet("/attribute-all", [RequireScope("read:a", "admin", ScopeMatch = ScopeMatch.All)] () => "ok");
            var group = app.MapGroup("/group").RequireScope("read:a");
            group.MapGet("/write", () => "ok").RequireScope("write:b");
            group.MapGet("/admin", () => "ok").RequireScope("admin");
            app.MapGet("/claims", (HttpContext context) => new ClaimsView(
                context.User.FindAll("scope").Select(c => c.Value).ToArray(),
                context.User.Claims.Where(c => c.Type is "scp" or ScopeClaimTypes.MicrosoftScope).Select(c => c.Type).ToArray(),
                context.Items[SeenByUserEvents] as string)).RequireAuthorization();
            app.MapControllers();
        });

    public sealed record ClaimsView(string[] Scope, string[] Others, string? SeenByUserEvents);
}

/// <summary>The application's own events: records the scope claims it sees, so tests prove it ran after normalization.</summary>
public sealed class RecordingEvents : JwtBearerEvents
{
    public static Task Record(TokenValidatedContext context)
    {
        context.HttpContext.Items[ApiFixture.SeenByUserEvents] = string.Join(' ', context.Principal!.FindAll("scope").Select(c => c.Value));
        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context) => Record(context);
}

[ApiController]
[Route("controller")]
[RequireScope("read:a")]
public sealed class ScopesController : ControllerBase
{
    [HttpGet("write")]
    [RequireScope("write:b")]
    public string Write() => "ok";

    [HttpGet("admin")]
    [RequireScope("admin")]
    public string Admin() => "ok";

    [HttpGet("anonymous")]
    [AllowAnonymous]
    public string Anonymous() => "ok";
}
