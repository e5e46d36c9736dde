using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// The events of a normalized JwtBearer scheme: normalizes scopes when a token is validated, then hands every event to
/// the events the application configured (an instance in <c>Events</c> or a type in <c>EventsType</c>, or none).
/// </summary>
/// <remarks>
/// Only the <c>On*</c> delegates are set, not the virtual methods overridden, so code that chains onto
/// <c>options.Events.OnTokenValidated</c> after this is installed still runs after normalization.
/// </remarks>
internal sealed class ScopeNormalizingJwtBearerEvents : JwtBearerEvents
{
    private static readonly JwtBearerEvents s_none = new();

    public ScopeNormalizingJwtBearerEvents(JwtBearerScopeNormalizer normalizer, JwtBearerEvents? inner, Type? innerType)
    {
        JwtBearerEvents Inner(HttpContext http)
        {
            if (innerType is null)
            {
                return inner ?? s_none;
            }

            // Note: resolved once per request, as the handler itself would, so every event of a request meets one instance.
            if (http.Items.TryGetValue(this, out var resolved) && resolved is JwtBearerEvents events)
            {
                return events;
            }

            events = (JwtBearerEvents)http.RequestServices.GetRequiredService(innerType);
            http.Items[this] = events;
            return events;
        }

        OnMessageReceived = context => Inner(context.HttpContext).MessageReceived(context);
        OnTokenValidated = context => normalizer.Normalize(context) ? Inner(context.HttpContext).TokenValidated(context) : Task.CompletedTask;
        OnAuthenticationFailed = context => Inner(context.HttpContext).AuthenticationFailed(context);
        OnChallenge = context => Inner(context.HttpContext).Challenge(context);
        OnForbidden = context => Inner(context.HttpContext).Forbidden(context);
    }
}
