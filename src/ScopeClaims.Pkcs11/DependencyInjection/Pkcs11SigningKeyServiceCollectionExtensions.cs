using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.Pkcs11;
using ScopeClaims.Pkcs11.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a PKCS#11 signing key for ScopeClaims token profiles.</summary>
public static class Pkcs11SigningKeyServiceCollectionExtensions
{
    /// <summary>
    /// Registers a key held in a PKCS#11 module as the key of every token profile whose
    /// <see cref="SigningKeyOptions.Managed"/> is <see langword="true"/>, and as a <see cref="Pkcs11TokenSigner"/> service.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Says where the key is.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">Another managed signing key source is registered.</exception>
    /// <remarks>
    /// The signer is opened when a managed profile is validated on start (or when <see cref="Pkcs11TokenSigner"/> is
    /// first resolved): a missing module, token or key, a refused PIN, a key of the wrong type or size, an extractable key
    /// or a failed pairwise check stops the host with one <see cref="OptionsValidationException"/> of
    /// <see cref="Pkcs11SigningKeyOptions"/> naming the option, never the PIN. A host uses this or
    /// <c>AddScopeTokenKeyManagement</c>, not both (an <see cref="InvalidOperationException"/> when the other is already
    /// registered). Safe to call more than once: the registrations are made once and each <paramref name="configure"/> applies.
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddArrayScopeTokens(options =>
    /// {
    ///     options.Issuer = "https://issuer.example";
    ///     options.Audiences.Add("https://partner.example/oauth2/token");
    ///     options.SigningKey.Managed = true;
    /// });
    /// builder.Services.AddPkcs11SigningKeys(key =>
    /// {
    ///     key.LibraryPath = "/usr/lib/softhsm/libsofthsm2.so";
    ///     key.TokenLabel = "issuer";
    ///     key.KeyLabel = "jwt-rsa";
    ///     key.Algorithm = "RS256";
    ///     key.UserPinEnvironmentVariable = "HSM_PIN";
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddPkcs11SigningKeys(this IServiceCollection services, Action<Pkcs11SigningKeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        Register(services).Configure(configure);
        return services;
    }

    /// <summary>Registers a key held in a PKCS#11 module, bound from a configuration section; see <see cref="AddPkcs11SigningKeys(IServiceCollection, Action{Pkcs11SigningKeyOptions})"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>builder.Configuration.GetSection("Pkcs11")</c>, with the property names of <see cref="Pkcs11SigningKeyOptions"/> (<c>SignTimeout</c> as <c>00:00:05</c>).</param>
    /// <param name="configure">Applied after the section, or <see langword="null"/>.</param>
    /// <returns>The services.</returns>
    /// <remarks>Bound without reflection; a value that does not parse stops the host on start, naming its configuration path.</remarks>
    public static IServiceCollection AddPkcs11SigningKeys(this IServiceCollection services, IConfiguration configuration, Action<Pkcs11SigningKeyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = Register(services).Configure(o => Pkcs11OptionsBinder.Bind(configuration, o));
        services.AddSingleton(new Pkcs11OptionsConfiguration(configuration));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }

    private static OptionsBuilder<Pkcs11SigningKeyOptions> Register(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(IManagedSigningKeySource) && !descriptor.IsKeyedService && descriptor.ImplementationFactory is not Func<IServiceProvider, Pkcs11ManagedSigningKeySource>)
            {
                // Note: a profile with SigningKey.Managed takes its keys from the one registered source; two would leave it unclear which key signs.
                throw new InvalidOperationException("Another managed signing key source is registered (AddScopeTokenKeyManagement or your own IManagedSigningKeySource); a host takes its managed keys from AddPkcs11SigningKeys or from that source, not both.");
            }
        }

        // Note: no ValidateOnStart of its own: the options are validated, and the signer opened, when a managed profile is
        // validated on start (or when Pkcs11TokenSigner is first resolved), so a refusal stops the host once.
        var options = services.AddOptions<Pkcs11SigningKeyOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Pkcs11SigningKeyOptions>, Pkcs11SigningKeyOptionsValidator>());
        services.TryAddSingleton(static sp => new Pkcs11SignerProvider(sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<Pkcs11ManagedSigningKeySource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IManagedSigningKeySource, Pkcs11ManagedSigningKeySource>(static sp => sp.GetRequiredService<Pkcs11ManagedSigningKeySource>()));
        services.TryAddSingleton(static sp => sp.GetRequiredService<Pkcs11SignerProvider>().Open(sp.GetRequiredService<IOptions<Pkcs11SigningKeyOptions>>().Value));
        return options;
    }
}
