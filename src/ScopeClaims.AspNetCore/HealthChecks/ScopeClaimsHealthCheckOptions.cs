using System;

namespace ScopeClaims.AspNetCore;

/// <summary>Options of the ScopeClaims health checks registered by <c>AddScopeClaims</c>.</summary>
public sealed class ScopeClaimsHealthCheckOptions
{
    /// <summary>Gets or sets how long before its certificate expires a signing key makes the signing-key check <c>Degraded</c>.</summary>
    /// <value>The default is 14 days. An expired certificate makes it <c>Unhealthy</c>.</value>
    public TimeSpan CertificateExpiryWarning { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Gets or sets how long a failed metadata fetch of an inbound issuer is reported as it is before a probe asks the authority again.</summary>
    /// <value>The default is 30 seconds, so a probe every few seconds makes at most one request per interval to an authority that is down.</value>
    public TimeSpan MetadataRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
