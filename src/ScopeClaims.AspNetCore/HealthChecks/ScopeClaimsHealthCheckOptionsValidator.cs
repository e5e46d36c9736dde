using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>Validates <see cref="ScopeClaimsHealthCheckOptions"/>, every problem in one message.</summary>
internal sealed class ScopeClaimsHealthCheckOptionsValidator : IValidateOptions<ScopeClaimsHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, ScopeClaimsHealthCheckOptions options)
    {
        var problems = new List<string>();
        if (options.CertificateExpiryWarning < System.TimeSpan.Zero)
        {
            problems.Add($"ScopeClaimsHealthCheckOptions.CertificateExpiryWarning must not be negative (it is {options.CertificateExpiryWarning}).");
        }

        if (options.MetadataRetryInterval <= System.TimeSpan.Zero)
        {
            problems.Add($"ScopeClaimsHealthCheckOptions.MetadataRetryInterval must be positive (it is {options.MetadataRetryInterval}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
