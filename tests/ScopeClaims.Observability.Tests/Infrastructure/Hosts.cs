using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using ScopeClaims.Tests.Conversion;

namespace ScopeClaims.Observability.Tests.Infrastructure;

/// <summary>Real hosts (HostApplicationBuilder, whose services include an IMeterFactory) for the core package.</summary>
internal static class Hosts
{
    public const string OurIssuer = "https://us.test";

    public static readonly TokenSigningKey OurKey = TokenSigningKey.Generate("ES256", "our-1");

    public static IHost Issuing(Action<IServiceCollection>? more = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = OurIssuer;
            o.Audiences.Add("https://partner.test");
            o.SigningKeys = new SigningKeySet(OurKey);
        });
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A host with the default converter: the static-key inbound issuer of <see cref="SourceTokens"/>, and <paramref name="authority"/> through its metadata when given.</summary>
    public static IHost Converting(LoopbackAuthority? authority = null, Action<IServiceCollection>? more = null) => Issuing(services =>
    {
        services.AddScopeTokenConverter(o =>
        {
            o.Issuers.Add(SourceTokens.Inbound("RS256"));
            if (authority is not null)
            {
                o.Issuers.Add(authority.Inbound(refresh: TimeSpan.FromHours(1)));
            }
        });
        more?.Invoke(services);
    });

    /// <summary>A converting host whose own tokens are signed by <paramref name="signer"/> (held, tampered with, counted).</summary>
    public static IHost ConvertingThrough(TokenSigner signer, Action<IServiceCollection>? more = null) => Converting(more: services =>
    {
        services.PostConfigure<ScopeTokenOptions>(Microsoft.Extensions.Options.Options.DefaultName, o => o.SigningKeys = new SigningKeySet(TokenSigningKey.FromSigner(signer)));
        more?.Invoke(services);
    });

    public static MetricCollector<T> Collect<T>(this IHost host, string meter, string instrument)
        where T : struct => new(host.Services.GetRequiredService<IMeterFactory>(), meter, instrument);

    /// <summary>The value of one tag of a measurement, as a string (null when absent).</summary>
    public static string? Tag<T>(this CollectedMeasurement<T> measurement, string name)
        where T : struct => measurement.Tags.TryGetValue(name, out var value) ? value?.ToString() : null;
}
