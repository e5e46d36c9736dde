using Microsoft.Extensions.Logging;

namespace ScopeClaims.AspNetCore.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Bearer token refused by scheme '{Scheme}': its scope claim '{ClaimName}' has a shape or value ScopeClaims does not accept ({Reason}).", EventName = "ScopesRefused")]
    public static partial void ScopesRefused(ILogger logger, string scheme, ScopeErrorReason reason, string claimName);
}
