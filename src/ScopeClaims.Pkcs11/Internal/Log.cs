using System;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>The signer's log messages: where the key is and what the module answered, never the PIN.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "The PKCS#11 {Key} became unavailable ({Reason}); signatures fail with Pkcs11SignerUnavailableException until it returns.")]
    public static partial void Unavailable(ILogger logger, string key, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Reconnecting to the PKCS#11 {Key} failed ({Reason}); the next attempt is in {RetryInterval}.")]
    public static partial void ReconnectFailed(ILogger logger, string key, string reason, TimeSpan retryInterval);

    [LoggerMessage(3, LogLevel.Information, "Reconnected to the PKCS#11 {Key}; it signs again.")]
    public static partial void Reconnected(ILogger logger, string key);

    [LoggerMessage(4, LogLevel.Error, "The PKCS#11 {Key} found after reconnecting is not the key the signer started with; it does not sign under the published kid. Restart the application to publish the new key.")]
    public static partial void KeyChanged(ILogger logger, string key);
}
