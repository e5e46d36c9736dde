using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Testing;

/// <summary>The services <see cref="ScopeTokenTestHost.CreateServices"/> built, with what a test needs to check a token.</summary>
public sealed class ScopeTokenTestServices : IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    internal ScopeTokenTestServices(ServiceProvider provider, ManualTimeProvider time)
    {
        _provider = provider;
        Time = time;
        TokenIssuer = provider.GetRequiredService<IScopeTokenIssuer>();
        Audiences = [.. provider.GetRequiredService<IOptionsMonitor<ScopeTokenOptions>>().Get(Options.DefaultName).Audiences];
    }

    /// <summary>Gets the service provider, to resolve the services under test.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>Gets the default profile's issuer, as <c>GetRequiredService&lt;IScopeTokenIssuer&gt;()</c> returns it.</summary>
    public IScopeTokenIssuer TokenIssuer { get; }

    /// <summary>Gets the <c>iss</c> value the tokens carry.</summary>
    public string Issuer => TokenIssuer.Issuer;

    /// <summary>Gets the <c>aud</c> values the tokens carry.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>Gets the signing keys; rotate them here to test rotation.</summary>
    public SigningKeySet Keys => TokenIssuer.Keys;

    /// <summary>Gets the public JWKS of <see cref="Keys"/>, as a partner would fetch it now (after any rotation). Empty of keys when the profile signs with HMAC.</summary>
    public string Jwks => Keys.ExportPublicJwks();

    /// <summary>Gets the clock registered as the <see cref="TimeProvider"/>; it starts at the current time, in whole seconds.</summary>
    public ManualTimeProvider Time { get; }

    /// <summary>Disposes the service provider.</summary>
    public void Dispose() => _provider.Dispose();

    /// <summary>Disposes the service provider.</summary>
    /// <returns>A task that completes when the provider is disposed.</returns>
    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
