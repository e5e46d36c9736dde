using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// What health checks read: the registered token profiles and converters, and what each inbound issuer's latest
/// metadata fetch gave. Registered by <c>AddArrayScopeTokens</c>, <c>AddScopeTokens</c> and <c>AddScopeTokenConverter</c>.
/// </summary>
/// <remarks>
/// Nothing here holds key material or a token: key ids, algorithms, dates, counts and exception type names only.
/// ScopeClaims.AspNetCore's <c>AddScopeClaims</c> health checks are built on it.
/// </remarks>
public sealed class ScopeClaimsStatus
{
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;

    internal ScopeClaimsStatus(IServiceProvider services, TimeProvider time)
    {
        _services = services;
        _time = time;
    }

    /// <summary>Gets the names of the registered token profiles (the default profile is the empty string).</summary>
    public IReadOnlyList<string> ProfileNames => Names(typeof(ScopeTokenOptions));

    /// <summary>Gets the names of the registered converters (the default converter is the empty string).</summary>
    public IReadOnlyList<string> ConverterNames => Names(typeof(ScopeTokenConverterOptions));

    /// <summary>
    /// Gets the state of a converter's inbound issuers. An issuer read through OpenID Connect metadata whose metadata
    /// was never fetched, or whose latest fetch failed more than <paramref name="retryInterval"/> ago, is asked for its
    /// metadata once (through the converter's own configuration manager, which fetches only when its cache needs it);
    /// otherwise the recorded outcome is reported, so a probe does not make a request each time.
    /// </summary>
    /// <param name="converterName">The converter.</param>
    /// <param name="retryInterval">How long a failed fetch is reported as it is before a probe tries again.</param>
    /// <param name="cancellationToken">Cancels a fetch.</param>
    /// <returns>One state per inbound issuer; none for a converter that is not a <see cref="ScopeTokenConverter"/>.</returns>
    public async Task<IReadOnlyList<InboundIssuerStatus>> GetInboundIssuersAsync(string converterName, TimeSpan retryInterval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(converterName);
        if (_services.GetRequiredService<IScopeTokenConverterFactory>().GetConverter(converterName) is not ScopeTokenConverter converter)
        {
            return Array.Empty<InboundIssuerStatus>();
        }

        var states = new List<InboundIssuerStatus>();
        foreach (var inbound in converter.InboundIssuers)
        {
            if (inbound.Metadata is not { } metadata || inbound.ConfigurationManager is not { } manager)
            {
                states.Add(new InboundIssuerStatus(inbound.Issuer, usesMetadata: false, lastFetchedAt: null, lastError: null, lastSucceededAt: null, keyCount: inbound.Keys?.Length ?? 0));
                continue;
            }

            if (metadata.Last is not { } last || (last.ErrorType is not null && _time.GetUtcNow() - last.At >= retryInterval))
            {
                try
                {
                    await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Note: recorded by the retriever (or, when the manager refused before fetching, reported below).
                    if (metadata.Last is null)
                    {
                        states.Add(new InboundIssuerStatus(inbound.Issuer, usesMetadata: true, lastFetchedAt: _time.GetUtcNow(), lastError: ex.GetType().FullName, lastSucceededAt: null, keyCount: 0));
                        continue;
                    }
                }
            }

            var outcome = metadata.Last;
            var success = metadata.LastSuccess;
            states.Add(new InboundIssuerStatus(inbound.Issuer, usesMetadata: true, outcome?.At, outcome?.ErrorType, success?.At, success?.KeyCount ?? 0));
        }

        return states;
    }

    private List<string> Names(Type optionsType) =>
        _services.GetServices<ScopeClaimsRegistration>().Where(r => r.OptionsType == optionsType).Select(static r => r.Name).Distinct(StringComparer.Ordinal).ToList();
}
