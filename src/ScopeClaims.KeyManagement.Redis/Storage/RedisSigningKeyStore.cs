using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StackExchange.Redis;

namespace ScopeClaims.KeyManagement.Redis.Internal;

/// <summary>
/// Keys in one Redis hash, one field per generation. A new key is one <c>HSETNX</c>: atomic in Redis, so of several
/// hosts creating a generation exactly one succeeds, and an entry is written whole or not at all.
/// </summary>
internal sealed class RedisSigningKeyStore : ISigningKeyStore, IDisposable
{
    private readonly Func<IConnectionMultiplexer> _connect;
    private readonly RedisKey _key;
    private readonly object _gate = new();
    private readonly bool _ownsConnection;
    private IConnectionMultiplexer? _connection;

    public RedisSigningKeyStore(Func<IConnectionMultiplexer> connect, string key, string endpoints, bool ownsConnection)
    {
        _connect = connect;
        _key = key;
        _ownsConnection = ownsConnection;
        Name = $"Redis key store '{key}' at {endpoints}";
    }

    public string Name { get; }

    public IReadOnlyList<StoredSigningKey> Load()
    {
        var fields = Run("could not be read", db => db.HashGetAll(_key));
        var entries = new List<StoredSigningKey>(fields.Length);
        foreach (var field in fields)
        {
            // Note: a field that is not a generation number is not an entry this package wrote; it is refused, not skipped.
            if (!long.TryParse((string?)field.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var generation) || generation <= 0)
            {
                throw new SigningKeyEntryException(SigningKeyEntryProblem.Malformed, 0, $"The {Name} holds a field that is not a generation number; it was left as it is, and no key was created.");
            }

            entries.Add(new StoredSigningKey(generation, (byte[]?)field.Value ?? []));
        }

        return entries;
    }

    public bool TryCreate(StoredSigningKey entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Run($"could not be written (generation {entry.Generation})", db => db.HashSet(_key, Field(entry.Generation), entry.Data, When.NotExists));
    }

    public void Delete(long generation) =>
        Run($"could not remove the entry of generation {generation}", db => db.HashDelete(_key, Field(generation)));

    public void Dispose()
    {
        lock (_gate)
        {
            if (_ownsConnection)
            {
                _connection?.Dispose();
            }

            _connection = null;
        }
    }

    private static RedisValue Field(long generation) => generation.ToString(CultureInfo.InvariantCulture);

    private T Run<T>(string what, Func<IDatabase, T> command)
    {
        try
        {
            return command(Connection().GetDatabase());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Note: the client's exception is named, not kept: its message can quote the configuration.
            throw new SigningKeyStoreUnavailableException($"The {Name} {what} ({ex.GetType().Name}).");
        }
    }

    private IConnectionMultiplexer Connection()
    {
        lock (_gate)
        {
            return _connection ??= _connect();
        }
    }

    /// <summary>The endpoints of a configuration string, for the store's name: never its password.</summary>
    internal static string Endpoints(ConfigurationOptions options) =>
        options.EndPoints.Count == 0 ? "(no endpoint)" : string.Join(", ", options.EndPoints.Select(static e => e.ToString()));
}
