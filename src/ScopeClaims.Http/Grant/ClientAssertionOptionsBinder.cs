using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using static ScopeClaims.Internal.ConfigurationValues;

namespace ScopeClaims.Http.Internal;

/// <summary>Binds <see cref="ClientAssertionOptions"/> from a <c>ClientAssertion</c> section without reflection (trim- and AOT-safe).</summary>
internal static class ClientAssertionOptionsBinder
{
    public static void Bind(IConfiguration section, ClientAssertionOptions options, List<string> errors)
    {
        String(section, nameof(options.ProfileName), v => options.ProfileName = v);
        String(section, nameof(options.Audience), v => options.Audience = v);
        TimeSpan(section, nameof(options.Lifetime), v => options.Lifetime = v, errors);
    }
}
