using System;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ScopeClaims token profiles, issuers and the scope normalizer.</summary>
public static class ScopeTokenServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default token profile with scopes as a JSON array (<c>"scope": ["a", "b"]</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the profile; it may not set another <see cref="ScopeTokenOptions.Format"/>.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>
    /// The profile issues arrays: a <see cref="ScopeTokenOptions.Format"/> other than <see cref="ScopeFormat.Array"/> set
    /// by <paramref name="configure"/> (or by the configuration of the <see cref="IConfiguration"/> overloads) fails the host
    /// on start; register a profile of another shape with <c>AddScopeTokens</c>.
    /// Registers <see cref="IScopeTokenIssuer"/> (the default profile), <see cref="IScopeTokenIssuerFactory"/> (every
    /// profile by name), <see cref="ScopeNormalizer"/> and <see cref="TimeProvider.System"/> unless the host registered
    /// its own. The options are validated when the host starts, every problem listed in one
    /// <see cref="OptionsValidationException"/>. Shared services use <c>TryAdd</c>, so a host's own registrations win and
    /// several profiles share one factory. Each profile name is registered once: a second <c>AddArrayScopeTokens</c> or
    /// <c>AddScopeTokens</c> call for the same name would merge the two profiles, so the host refuses to start, naming the
    /// profile. To change a registered profile, use <c>services.Configure&lt;ScopeTokenOptions&gt;(name, ...)</c>.
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddArrayScopeTokens(options =>
    /// {
    ///     options.Issuer = "https://issuer.example";
    ///     options.Audiences.Add("https://partner.example/token");
    ///     options.SigningKey.Path = "keys/signing.pem";
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddArrayScopeTokens(this IServiceCollection services, Action<ScopeTokenOptions> configure) =>
        AddArrayScopeTokens(services, Options.Options.DefaultName, configure);

    /// <summary>Registers a named token profile with scopes as a JSON array.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The profile name, for <see cref="IScopeTokenIssuerFactory.GetIssuer"/>.</param>
    /// <param name="configure">Configures the profile; it may not set another <see cref="ScopeTokenOptions.Format"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddArrayScopeTokens(this IServiceCollection services, string name, Action<ScopeTokenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddScopeTokensCore(services, name, ScopeFormat.Array, builder => builder.Configure(o =>
        {
            o.Format = ScopeFormat.Array;
            configure(o);

            // Note: checked here, where what the delegate chose is known (a later services.Configure may still change
            // the format, as for any profile); thrown as a validation failure, so the host fails on start naming the option.
            // An undefined value is left to ScopeTokenOptionsValidator, which names it.
            if (o.Format != ScopeFormat.Array && Enum.IsDefined(o.Format))
            {
                throw new OptionsValidationException(name, typeof(ScopeTokenOptions), [ScopeTokenRegistrationValidator.NotArray(name, o.Format)]);
            }
        }));
    }

    /// <summary>Registers the default token profile with scopes as a JSON array, bound from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>builder.Configuration.GetSection("ScopeTokens")</c>, with keys such as <c>Issuer</c>, <c>Audiences:0</c>, <c>SigningKey:Path</c>; a <c>Format</c> key, if any, must say <c>Array</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddArrayScopeTokens(this IServiceCollection services, IConfiguration configuration) =>
        AddArrayScopeTokens(services, Options.Options.DefaultName, configuration);

    /// <summary>Registers a named token profile with scopes as a JSON array, bound from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The profile name.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddArrayScopeTokens(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddScopeTokensCore(services, name, ScopeFormat.Array, builder => builder.Configure(o =>
        {
            // Note: a configured Format other than Array is bound as it is and refused on start by ScopeTokenRegistrationValidator, naming its path.
            o.Format = ScopeFormat.Array;
            ScopeTokenOptionsBinder.Bind(configuration, o);
        }), configuration);
    }

    /// <summary>Registers a named token profile with the scope shape of your choice.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The profile name; <see cref="Options.Options.DefaultName"/> for the default profile.</param>
    /// <param name="format">The scope shape.</param>
    /// <param name="configure">Configures the profile.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddScopeTokens(this IServiceCollection services, string name, ScopeFormat format, Action<ScopeTokenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddScopeTokensCore(services, name, format: null, builder => builder.Configure(o =>
        {
            o.Format = format;
            configure(o);
        }));
    }

    /// <summary>Registers a named token profile bound from configuration, including its <c>Format</c> (Array, SpaceDelimited or Both).</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The profile name.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddScopeTokens(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddScopeTokensCore(services, name, format: null, builder => builder.Configure(o => ScopeTokenOptionsBinder.Bind(configuration, o)), configuration);
    }

    /// <summary>
    /// Registers <see cref="ScopeNormalizer"/> as a singleton, configured by <see cref="ScopeNormalizerOptions"/>, which are
    /// validated on start. Safe to call several times: each <paramref name="configure"/> applies, in order.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the normalizer, or <see langword="null"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddScopeNormalizer(this IServiceCollection services, Action<ScopeNormalizerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ScopeNormalizerOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScopeNormalizerOptions>, ScopeNormalizerOptionsValidator>());
        services.TryAddSingleton<ScopeNormalizer>(static sp => new ScopeNormalizer(sp.GetRequiredService<IOptions<ScopeNormalizerOptions>>()));
        return services;
    }

    /// <summary>The services every profile and converter needs: the factory, the default issuer, the normalizer, the clock and the profile validators.</summary>
    internal static void AddIssuingServices(IServiceCollection services)
    {
        AddScopeNormalizer(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProfileSigningKeys>(static sp => new ProfileSigningKeys(sp));

        // Note: the meter comes from the host's IMeterFactory when it has one (every .NET 8+ host does), else a plain one.
        services.TryAddSingleton(static sp => new ScopeClaimsMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(static sp => new ScopeClaimsStatus(sp, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IScopeTokenIssuerFactory, ScopeTokenIssuerFactory>();
        services.TryAddSingleton<IScopeTokenIssuer>(static sp => sp.GetRequiredService<IScopeTokenIssuerFactory>().GetIssuer(Options.Options.DefaultName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScopeTokenOptions>, ScopeTokenOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScopeTokenOptions>, ScopeTokenRegistrationValidator>());
    }

    // Note: format is the one format the registration allows (Array for AddArrayScopeTokens), or null; configuration is
    // the section a configuration overload binds, which validation reads again for values that do not parse.
    private static IServiceCollection AddScopeTokensCore(IServiceCollection services, string name, ScopeFormat? format, Action<OptionsBuilder<ScopeTokenOptions>> configure, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);

        AddIssuingServices(services);

        // Note: one marker per call, not TryAdd, so that validation sees a profile registered twice and refuses it.
        services.AddSingleton(new ScopeClaimsRegistration(typeof(ScopeTokenOptions), name, configuration, format));
        var builder = services.AddOptions<ScopeTokenOptions>(name);
        configure(builder);
        builder.ValidateOnStart();
        return services;
    }
}
