using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScopeClaims.AspNetCore;
using ScopeClaims.AspNetCore.Redis.Internal;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis replay store of the RFC 8693 token-exchange endpoint.</summary>
public static class TokenExchangeRedisServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the token-exchange endpoint's in-memory replay store with one in Redis, connecting with a
    /// StackExchange.Redis configuration string (for example <c>redis.internal:6379,ssl=true,password=...</c>). Every
    /// host that shares the server accepts a client assertion once: each use is one atomic <c>SET NX</c> with expiry,
    /// awaited before the client is accepted. When Redis fails or times out, the request is refused with 503 and
    /// nothing is issued.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string. <c>abortConnect</c> is forced off, so the host starts while Redis is down (and refuses assertions until it is back).</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="ArgumentException">The configuration string is blank or not a valid StackExchange.Redis configuration; the message never quotes it.</exception>
    /// <remarks>The connection is made when the endpoint is mapped and closed with the service provider.</remarks>
    public static IServiceCollection AddTokenExchangeRedisReplayStore(this IServiceCollection services, string configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException("The Redis configuration string of the token-exchange replay store is blank.", nameof(configuration));
        }

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException)
        {
            // Note: no inner exception: StackExchange.Redis's message may quote the string, password included.
            throw new ArgumentException("The Redis configuration string of the token-exchange replay store is not a valid StackExchange.Redis configuration.", nameof(configuration));
        }

        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration string of the token-exchange replay store names no server.", nameof(configuration));
        }

        options.AbortOnConnectFail = false;
        return Register(services, sp => new RedisTokenExchangeReplayStore(ConnectionMultiplexer.Connect(options), owned: true, Time(sp)));
    }

    /// <summary>
    /// Replaces the token-exchange endpoint's in-memory replay store with one in Redis, through a connection the
    /// application owns (and disposes). See <see cref="AddTokenExchangeRedisReplayStore(IServiceCollection, string)"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="connection">Returns the application's connection; called once, when the endpoint is mapped.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddTokenExchangeRedisReplayStore(this IServiceCollection services, Func<IServiceProvider, IConnectionMultiplexer> connection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connection);
        return Register(services, sp => new RedisTokenExchangeReplayStore(
            connection(sp) ?? throw new InvalidOperationException("The connection factory of the token-exchange Redis replay store returned null."),
            owned: false,
            Time(sp)));
    }

    private static IServiceCollection Register(IServiceCollection services, Func<IServiceProvider, RedisTokenExchangeReplayStore> create)
    {
        // Note: replaces whatever store is registered, before or after AddTokenExchange (which only adds one when absent).
        services.RemoveAll<ITokenExchangeReplayStore>();
        services.AddSingleton<ITokenExchangeReplayStore>(create);
        return services;
    }

    private static TimeProvider Time(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;
}
