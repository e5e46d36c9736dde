using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ScopeClaims.Observability.Tests.Infrastructure;
using ScopeClaims.Tests.Conversion;

namespace ScopeClaims.Observability.Tests.Metrics;

public class AspNetCoreMetricsTests
{
    [Fact]
    public async Task Normalization_HostileScopeClaims_CountedBySchemeAndReason()
    {
        await using var api = await ProtectedApi.StartAsync();
        using var refusals = Collect(api, "scopeclaims.aspnetcore.scope_normalization.refusals");

        Assert.Equal(200, await api.GetAsync("/read", SourceTokens.Build("read:a")));
        Assert.Equal(401, await api.GetAsync("/read", SourceTokens.Build(5)));
        Assert.Equal(401, await api.GetAsync("/read", SourceTokens.Build(new object[] { "read:a", new[] { "nested" } })));
        Assert.Equal(401, await api.GetAsync("/read", SourceTokens.Build(new[] { "read:a write:b" })));

        var counted = refusals.GetMeasurementSnapshot()
            .GroupBy(m => (m.Tag("scopeclaims.scheme"), m.Tag("scopeclaims.failure_reason")))
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(
            new Dictionary<(string?, string?), long>
            {
                [("Bearer", "invalid_shape")] = 2,
                [("Bearer", "element_contains_separator")] = 1,
            },
            counted);
    }

    [Fact]
    public async Task Authorization_MissingScope_CountedByRequirementKindAndMatch()
    {
        await using var api = await ProtectedApi.StartAsync();
        using var failures = Collect(api, "scopeclaims.aspnetcore.authorization.failures");

        Assert.Equal(200, await api.GetAsync("/read", SourceTokens.Build("read:a")));
        Assert.Equal(403, await api.GetAsync("/read", SourceTokens.Build("write:b")));
        Assert.Equal(200, await api.GetAsync("/write", SourceTokens.Build("write:b")));
        Assert.Equal(403, await api.GetAsync("/write", SourceTokens.Build("read:a")));
        Assert.Equal(403, await api.GetAsync("/write", SourceTokens.Build("other")));

        var counted = failures.GetMeasurementSnapshot()
            .GroupBy(m => (m.Tag("scopeclaims.requirement.kind"), m.Tag("scopeclaims.requirement.match"), m.Tag("scopeclaims.failure_reason")))
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(
            new Dictionary<(string?, string?, string?), long>
            {
                [("endpoint", "any", "missing_scope")] = 1,
                [("policy", "all", "missing_scope")] = 2,
            },
            counted);
    }

    [Fact]
    public async Task Authorization_NoToken_CountedAsUnauthenticated()
    {
        await using var api = await ProtectedApi.StartAsync();
        using var failures = Collect(api, "scopeclaims.aspnetcore.authorization.failures");

        Assert.Equal(401, await api.GetAsync("/read", token: null));

        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("unauthenticated", failure.Tag("scopeclaims.failure_reason"));
    }

    private static MetricCollector<long> Collect(ProtectedApi api, string instrument) =>
        new(api.Services.GetRequiredService<IMeterFactory>(), "ScopeClaims.AspNetCore", instrument);
}
