using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace ScopeClaims.Internal;

/// <summary>Tag names and shared helpers for the metrics and traces of the ScopeClaims packages.</summary>
internal static class TelemetryNames
{
    public const string Profile = "scopeclaims.profile";
    public const string Algorithm = "scopeclaims.algorithm";
    public const string ScopeFormat = "scopeclaims.scope_format";
    public const string Converter = "scopeclaims.converter";
    public const string InboundIssuer = "scopeclaims.inbound_issuer";
    public const string Result = "scopeclaims.result";
    public const string FailureReason = "scopeclaims.failure_reason";
    public const string KeyId = "scopeclaims.key_id";

    /// <summary>The OpenTelemetry semantic-convention attribute for the class of an error: an exception type name or a reason code, never a message.</summary>
    public const string ErrorType = "error.type";

    public const string Success = "success";
    public const string Refused = "refused";
    public const string Failure = "failure";

    private static readonly string? s_version = typeof(TelemetryNames).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static string? Version => s_version;

    /// <summary>The meter of a package: made by the host's factory (so it is scoped and disposed with the host), else a plain one.</summary>
    public static Meter CreateMeter(IMeterFactory? meterFactory, string name) =>
        meterFactory?.Create(new MeterOptions(name) { Version = s_version }) ?? new Meter(name, s_version);

    /// <summary>The package's activity source.</summary>
    public static ActivitySource CreateSource(string name) => new(name, s_version);

    /// <summary>The tag value of an enum value: its name in snake case (<c>InvalidSignature</c> is <c>invalid_signature</c>); <c>unknown</c> for an undefined value.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumValues<TEnum>.Names.TryGetValue(value, out var name) ? name : "unknown";

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static class EnumValues<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> Names = Build();

        private static Dictionary<TEnum, string> Build()
        {
            var names = new Dictionary<TEnum, string>();
            foreach (var value in Enum.GetValues<TEnum>())
            {
                names[value] = SnakeCase(value.ToString());
            }

            return names;
        }
    }
}
