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

    /// <summary>Bucket boundaries, in seconds, for work done mostly in process (issuing; converting, whose metadata fetch is rare): 10 µs to 1 s.</summary>
    public static readonly double[] InProcessBuckets = { 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1 };

    /// <summary>Bucket boundaries, in seconds, for a network round trip: OpenTelemetry's for HTTP durations.</summary>
    public static readonly double[] NetworkBuckets = { 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10 };

    /// <summary>
    /// A <c>*.duration</c> histogram in seconds. On .NET 9 and later it advises its bucket boundaries, which the
    /// OpenTelemetry SDK uses (its defaults are meant for milliseconds and would put every measurement in the first
    /// bucket); on .NET 8, which has no advice, an application sets them with a metric view.
    /// </summary>
    public static Histogram<double> CreateDuration(Meter meter, string name, string description, double[] buckets)
    {
#if NET9_0_OR_GREATER
        return meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });
#else
        _ = buckets;
        return meter.CreateHistogram<double>(name, "s", description);
#endif
    }

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
