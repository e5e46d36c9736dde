using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Adds a grant with <see cref="TokenGrantOptions"/> (client credentials, token exchange) to a client, on the JWT-bearer
/// grant's machinery. Registered once per client name (keyed by it), so that a second call adds configuration, not a
/// second handler.
/// </summary>
internal sealed class TokenGrantRegistration<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>
    where TOptions : TokenGrantOptions
{
    public static IHttpClientBuilder Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(IHttpClientBuilder builder, Action<TOptions> configure, Func<TOptions, TokenGrant> grant)
        where TValidator : class, IValidateOptions<TOptions>
    {
        var name = builder.Name;
        var services = builder.Services;
        var registered = services.Any(d => d.ServiceType == typeof(TokenGrantRegistration<TOptions>) && d.IsKeyedService && Equals(d.ServiceKey, name));
        if (!registered)
        {
            // Note: this grant also registers the JWT-bearer grant's machinery (JwtBearerGrantRegistration) below.
            OneGrantPerClient.Check(services, name, typeof(TokenGrantRegistration<TOptions>));
        }

        services.AddOptions<TOptions>(name).Configure(configure).ValidateOnStart();
        if (registered)
        {
            return builder;
        }

        services.AddKeyedSingleton<TokenGrantRegistration<TOptions>>(name);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());

        // Note: the shared machinery reads JwtBearerGrantOptions; this client's are made from its grant's options, so
        // the handler, cache, retry, redirect refusal and log redaction are the JWT-bearer grant's own. They are
        // validated on start as this grant's options only, so that a problem is reported once, naming its option.
        services.AddSingleton<IConfigureOptions<JwtBearerGrantOptions>>(sp => new TokenGrantOptionsMapping<TOptions>(name, sp.GetRequiredService<IOptionsMonitor<TOptions>>(), grant));
        return JwtBearerGrantHttpClientBuilderExtensions.AddCore(builder, static _ => { }, validateOnStart: false);
    }
}
