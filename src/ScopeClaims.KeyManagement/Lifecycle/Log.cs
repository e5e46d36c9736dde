using System;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.KeyManagement.Internal;

/// <summary>The key manager's log events: key ids, generations, times and store names; never key material.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Created managed signing key '{KeyId}' (generation {Generation}, {Algorithm}) in the {Store}; it signs from {Activates:O} until {Expires:O}.")]
    public static partial void KeyCreated(ILogger logger, string keyId, long generation, string algorithm, string store, DateTimeOffset activates, DateTimeOffset expires);

    [LoggerMessage(2, LogLevel.Debug, "Another host created generation {Generation} in the {Store} first; using its key.")]
    public static partial void CreationLost(ILogger logger, long generation, string store);

    [LoggerMessage(3, LogLevel.Warning, "The {Store} is unavailable; signing continues with the {Count} keys loaded, and no key is created until it is back. {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string store, int count, string reason);

    [LoggerMessage(4, LogLevel.Error, "A managed key entry was refused; the keys loaded before are kept and no key is created. {Reason}")]
    public static partial void EntryRefused(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Error, "The clock moved backwards; no key is created or removed until it is right again. {Reason}")]
    public static partial void ClockMovedBackwards(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Information, "Removed managed signing key '{KeyId}' (generation {Generation}) from the {Store}: it stopped signing at {End:O} and its retention ended at {PublishedUntil:O}.")]
    public static partial void KeyRemoved(ILogger logger, string keyId, long generation, string store, DateTimeOffset end, DateTimeOffset publishedUntil);

    [LoggerMessage(7, LogLevel.Error, "No loaded managed key may sign now; issuing fails until a key is loaded or created. The {Store} could not provide one.")]
    public static partial void NoSigningKey(ILogger logger, string store);

    [LoggerMessage(8, LogLevel.Warning, "Refreshing the managed signing keys failed ({ExceptionType}); the keys loaded before are kept.")]
    public static partial void RefreshFailed(ILogger logger, string exceptionType);

    [LoggerMessage(9, LogLevel.Warning, "The {Store} is unreachable at start; retrying until {Deadline:O} (StartupTimeout). {Reason}")]
    public static partial void WaitingForStore(ILogger logger, string store, DateTimeOffset deadline, string reason);
}
