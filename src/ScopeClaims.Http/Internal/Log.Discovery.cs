using System;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.Http.Internal;

/// <summary>The log events of endpoint discovery. None carries a token, an assertion or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(20, LogLevel.Information, "HttpClient '{ClientName}' uses the token endpoint {TokenEndpoint} from the metadata of {Authority}.")]
    public static partial void TokenEndpointDiscovered(ILogger logger, string clientName, Uri authority, Uri tokenEndpoint);

    [LoggerMessage(21, LogLevel.Warning, "The metadata of {Authority} cannot be used for HttpClient '{ClientName}': {Problem}.")]
    public static partial void AuthorityMetadataRefused(ILogger logger, string clientName, Uri? authority, string problem);
}
