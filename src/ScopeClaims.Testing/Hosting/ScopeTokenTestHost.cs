using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Testing;

/// <summary>Builds, in one line, the services a host gets from <c>AddArrayScopeTokens</c>, with a test key and a manual clock.</summary>
/// <example>
/// <code>
/// using var test = ScopeTokenTestHost.CreateServices(o => o.Lifetime = TimeSpan.FromMinutes(2));
/// string token = test.TokenIssuer.Issue(ScopeSet.Parse("read:a"));
/// </code>
/// </example>
public static class ScopeTokenTestHost
{
    /// <summary>The <c>iss</c> of the test profile unless <c>configure</c> changes it.</summary>
    public const string DefaultIssuer = "https://issuer.test";

    /// <summary>The <c>aud</c> of the test profile unless <c>configure</c> changes it.</summary>
    public const string DefaultAudience = "https://partner.test";

    /// <summary>
    /// Registers the default profile, with scopes as a JSON array unless <paramref name="configure"/> sets another
    /// <see cref="ScopeTokenOptions.Format"/> (issuer <see cref="DefaultIssuer"/>, audience
    /// <see cref="DefaultAudience"/>, signing with <see cref="TestSigningKeys.Rsa"/>), a <see cref="ManualTimeProvider"/> as
    /// the <see cref="TimeProvider"/>, and your own services, then builds and validates the provider.
    /// </summary>
    /// <param name="configure">Changes the profile after the test defaults are set, or <see langword="null"/>. Setting a <c>SigningKey</c> source replaces the test key.</param>
    /// <param name="configureServices">Adds the services under test, or <see langword="null"/>; they may take <see cref="IScopeTokenIssuer"/>, <see cref="ScopeNormalizer"/> and <see cref="TimeProvider"/>.</param>
    /// <returns>The services; dispose them at the end of the test.</returns>
    /// <remarks>
    /// The provider is built with <c>ValidateOnBuild</c> and <c>ValidateScopes</c>, so a service of yours with a missing
    /// dependency fails here too. Each call has its own <see cref="SigningKeySet"/> (around the shared run key), so a test
    /// may rotate keys without affecting others.
    /// </remarks>
    /// <exception cref="OptionsValidationException">The profile is invalid after <paramref name="configure"/>; every problem is listed, as at host start.</exception>
    public static ScopeTokenTestServices CreateServices(Action<ScopeTokenOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var time = new ManualTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        // Note: AddScopeTokens with Array, not AddArrayScopeTokens, which refuses a configure that chooses another format.
        services.AddScopeTokens(Options.DefaultName, ScopeFormat.Array, options =>
        {
            var testKeys = new SigningKeySet(TestSigningKeys.Rsa);
            options.Issuer = DefaultIssuer;
            options.Audiences.Add(DefaultAudience);
            options.SigningKeys = testKeys;
            configure?.Invoke(options);
            if (ReferenceEquals(options.SigningKeys, testKeys) && HasKeySource(options.SigningKey))
            {
                options.SigningKeys = null;
            }
        });
        configureServices?.Invoke(services);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            // Note: what IHost.StartAsync does for ValidateOnStart, so a bad profile fails here with every problem listed.
            provider.GetService<IStartupValidator>()?.Validate();
            return new ScopeTokenTestServices(provider, time);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    private static bool HasKeySource(SigningKeyOptions? key) =>
        key is not null && (key.Path ?? key.Pem ?? key.Jwk ?? key.CertificatePath) is not null;
}
