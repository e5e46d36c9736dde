using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ScopeClaims token converters.</summary>
public static class ScopeTokenConverterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default converter: it validates tokens of the configured inbound issuers and re-issues them through
    /// the token profile named by <see cref="ScopeTokenConverterOptions.ProfileName"/> (register that profile with
    /// <c>AddArrayScopeTokens</c> or <c>AddScopeTokens</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the converter.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>
    /// Options are validated on start, every problem listed at once, including a <see cref="ScopeTokenConverterOptions.ProfileName"/>
    /// that is not registered. Each converter name is registered once: a second call for the same name is refused on
    /// start (the two would merge their issuers); change a registered converter with
    /// <c>services.Configure&lt;ScopeTokenConverterOptions&gt;(name, ...)</c>.
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddScopeTokenConverter(options =>
    /// {
    ///     var auth0 = new InboundIssuerOptions { Issuer = "https://tenant.auth0.com/", Authority = new Uri("https://tenant.auth0.com/") };
    ///     auth0.Audiences.Add("https://api.example");
    ///     auth0.Algorithms.Add("RS256");
    ///     options.Issuers.Add(auth0);
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddScopeTokenConverter(this IServiceCollection services, Action<ScopeTokenConverterOptions> configure) =>
        AddScopeTokenConverter(services, Options.Options.DefaultName, configure);

    /// <summary>Registers a named converter.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The converter name, for <see cref="IScopeTokenConverterFactory.GetConverter"/>.</param>
    /// <param name="configure">Configures the converter.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddScopeTokenConverter(this IServiceCollection services, string name, Action<ScopeTokenConverterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, name, builder => builder.Configure(configure));
    }

    /// <summary>Registers the default converter, bound from configuration (keys such as <c>ProfileName</c>, <c>Issuers:0:Issuer</c>, <c>Issuers:0:Audiences:0</c>, <c>Issuers:0:Algorithms:0</c>, <c>Issuers:0:Authority</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddScopeTokenConverter(this IServiceCollection services, IConfiguration configuration) =>
        AddScopeTokenConverter(services, Options.Options.DefaultName, configuration);

    /// <summary>Registers a named converter, bound from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The converter name.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddScopeTokenConverter(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, name, builder => builder.Configure(o => ScopeTokenConverterOptionsBinder.Bind(configuration, o)), configuration);
    }

    private static IServiceCollection AddCore(IServiceCollection services, string name, Action<OptionsBuilder<ScopeTokenConverterOptions>> configure, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ScopeTokenServiceCollectionExtensions.AddIssuingServices(services);
        services.TryAddSingleton<IScopeTokenConverterFactory, ScopeTokenConverterFactory>();
        services.TryAddSingleton<IScopeTokenConverter>(static sp => sp.GetRequiredService<IScopeTokenConverterFactory>().GetConverter(Options.Options.DefaultName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScopeTokenConverterOptions>, ScopeTokenConverterOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScopeTokenConverterOptions>, ScopeTokenConverterRegistrationValidator>());

        // Note: one marker per call, not TryAdd, so that validation sees a converter registered twice and refuses it.
        services.AddSingleton(new ScopeClaimsRegistration(typeof(ScopeTokenConverterOptions), name, configuration));

        var builder = services.AddOptions<ScopeTokenConverterOptions>(name);
        configure(builder);
        builder.ValidateOnStart();
        return services;
    }
}
