using System;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScopeClaims.AspNetCore;
using ScopeClaims.AspNetCore.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the RFC 8693 token-exchange endpoint's services.</summary>
public static class TokenExchangeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the token-exchange endpoint's options and services; map the endpoint with
    /// <c>app.MapTokenExchange("/oauth2/token")</c>. Register the converter (<c>AddScopeTokenConverter</c>) and its
    /// target profile (<c>AddArrayScopeTokens</c> or <c>AddScopeTokens</c>) too.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the clients, targets and limits.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>
    /// Options are validated on start, every problem listed at once. Registers, when absent, an in-memory
    /// <see cref="ITokenExchangeReplayStore"/> (atomic within this process: a single host only; a fleet registers a
    /// shared store such as ScopeClaims.AspNetCore.Redis's <c>AddTokenExchangeRedisReplayStore</c>) and
    /// <see cref="TimeProvider.System"/>. Safe to call several times: the delegates add up.
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddTokenExchange(o =>
    /// {
    ///     var client = new TokenExchangeClient { ClientId = "billing-service", SecretHash = configuration["Billing:SecretHash"] };
    ///     client.AllowedAudiences.Add("https://partner.example");
    ///     client.AllowedScopes.Add("read:appointments");
    ///     o.Clients.Add(client);
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddTokenExchange(this IServiceCollection services, Action<TokenExchangeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new ScopeClaimsAspNetCoreMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<ITokenExchangeReplayStore>(static sp => new InMemoryTokenExchangeReplayStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenExchangeOptions>, TokenExchangeOptionsValidator>());
        services.AddOptions<TokenExchangeOptions>().Configure(configure).ValidateOnStart();
        return services;
    }
}
