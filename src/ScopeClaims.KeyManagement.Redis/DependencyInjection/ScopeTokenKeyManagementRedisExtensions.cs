using System;
using ScopeClaims.KeyManagement;
using ScopeClaims.KeyManagement.Redis.Internal;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores managed signing keys in Redis, so a fleet of hosts shares one key set.</summary>
public static class ScopeTokenKeyManagementRedisExtensions
{
    /// <summary>The Redis key of the hash that holds the keys, unless another is given.</summary>
    public const string DefaultKey = "scopeclaims:signing-keys";

    /// <summary>
    /// Stores managed keys in a Redis hash (one field per key, encrypted with Data Protection), connecting with
    /// <paramref name="configuration"/>. Hosts that share the hash and the Data Protection key ring sign with the same key.
    /// </summary>
    /// <param name="builder">The builder <c>AddScopeTokenKeyManagement</c> returned.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, e.g. <c>redis.internal:6379,password=...,ssl=true</c>.</param>
    /// <param name="key">The Redis key of the hash.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The connection is made on first use, when the host starts; an unreachable Redis then fails the start naming the
    /// store (its endpoints and key, never the password). New keys are created with one <c>HSETNX</c>, so hosts that
    /// start or rotate at the same moment create one key. While Redis is unreachable later, hosts sign with the keys
    /// they loaded, log a warning, and create none.
    /// </remarks>
    public static ScopeTokenKeyManagementBuilder PersistKeysToRedis(this ScopeTokenKeyManagementBuilder builder, string configuration, string key = DefaultKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var options = ConfigurationOptions.Parse(configuration);
        return builder.UseStore(_ => new RedisSigningKeyStore(() => ConnectionMultiplexer.Connect(options), key, RedisSigningKeyStore.Endpoints(options), ownsConnection: true));
    }

    /// <summary>Stores managed keys in a Redis hash through a connection the application already has.</summary>
    /// <param name="builder">The builder <c>AddScopeTokenKeyManagement</c> returned.</param>
    /// <param name="connection">Gets the application's connection, e.g. <c>sp =&gt; sp.GetRequiredService&lt;IConnectionMultiplexer&gt;()</c>.</param>
    /// <param name="key">The Redis key of the hash.</param>
    /// <returns>The builder.</returns>
    public static ScopeTokenKeyManagementBuilder PersistKeysToRedis(this ScopeTokenKeyManagementBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connection, string key = DefaultKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return builder.UseStore(sp => new RedisSigningKeyStore(() => connection(sp), key, "the application's connection", ownsConnection: false));
    }
}
