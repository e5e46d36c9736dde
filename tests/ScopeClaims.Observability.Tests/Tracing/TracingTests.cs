using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Observability.Tests.Infrastructure;
using ScopeClaims.Tests.Conversion;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Observability.Tests.Tracing;

/// <summary>The spans an OpenTelemetry TracerProvider exports, wired in a host the way the README shows.</summary>
/// <remarks>
/// Listeners are process-wide, so each test runs under a root span of its own and looks only at the spans of its trace
/// (tests of other classes run at the same time).
/// </remarks>
public class TracingTests
{
    private static readonly ActivitySource TestSource = new("ScopeClaims.Observability.Tests");

    [Fact]
    public async Task Convert_WithAMetadataFetch_ExportsTheFetchAsAChildOfTheConversion()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        var spans = new List<Activity>();
        using var host = Hosts.Converting(authority, s => s.AddOpenTelemetry().WithTracing(t => t.AddSource("ScopeClaims*", TestSource.Name).AddInMemoryExporter(spans)));
        await host.StartAsync();
        var root = TestSource.StartActivity("test")!;
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        await converter.ConvertAsync(authority.Token("read:a"));
        root.Stop();
        await host.StopAsync();
        spans.RemoveAll(s => s.TraceId != root.TraceId);

        var convert = Assert.Single(spans, s => s.OperationName == "scopeclaims.convert");
        var fetch = Assert.Single(spans, s => s.OperationName == "scopeclaims.inbound_metadata.fetch");
        Assert.Equal(convert.SpanId, fetch.ParentSpanId);
        Assert.Equal(convert.TraceId, fetch.TraceId);
        Assert.Equal("ScopeClaims", convert.Source.Name);
        Assert.Equal(ActivityStatusCode.Unset, convert.Status);
        Assert.Equal("success", convert.GetTagItem("scopeclaims.result"));
        Assert.Equal(authority.Issuer, convert.GetTagItem("scopeclaims.inbound_issuer"));
        Assert.Equal(authority.Issuer, fetch.GetTagItem("scopeclaims.inbound_issuer"));
    }

    [Fact]
    public async Task Convert_Refused_SpanHasErrorStatusAndTheReason()
    {
        var spans = new List<Activity>();
        using var host = Hosts.Converting(more: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource("ScopeClaims*", TestSource.Name).AddInMemoryExporter(spans)));
        await host.StartAsync();
        var root = TestSource.StartActivity("test")!;
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(SourceTokens.Build("read:a", expiresInSeconds: -600)));
        root.Stop();
        await host.StopAsync();
        spans.RemoveAll(s => s.TraceId != root.TraceId);

        var convert = Assert.Single(spans, s => s.OperationName == "scopeclaims.convert");
        Assert.Equal(ActivityStatusCode.Error, convert.Status);
        Assert.Equal("expired", convert.StatusDescription);
        Assert.Equal("refused", convert.GetTagItem("scopeclaims.result"));
        Assert.Equal("expired", convert.GetTagItem("scopeclaims.failure_reason"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Convert_FailsOtherThanByARefusal_SpanHasErrorStatusAndTheExceptionType(bool cancelled)
    {
        var signer = FakeRemoteSigner.Ec();
        using var cancel = new CancellationTokenSource();
        if (cancelled)
        {
            signer.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task;
        }
        else
        {
            signer.Tamper = _ => new byte[1];
        }

        var spans = new List<Activity>();
        using var host = Hosts.ConvertingThrough(signer, s => s.AddOpenTelemetry().WithTracing(t => t.AddSource("ScopeClaims*", TestSource.Name).AddInMemoryExporter(spans)));
        await host.StartAsync();
        var root = TestSource.StartActivity("test")!;
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        var pending = converter.ConvertAsync(SourceTokens.Build("read:a"), cancel.Token);
        if (cancelled)
        {
            Assert.True(SpinWait.SpinUntil(() => signer.Calls == 1, TimeSpan.FromSeconds(30)), "the conversion never reached the signer");
            await cancel.CancelAsync();
        }

        var thrown = cancelled
            ? await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending)
            : await Assert.ThrowsAsync<System.Security.Cryptography.CryptographicException>(() => pending) as Exception;
        root.Stop();
        await host.StopAsync();
        spans.RemoveAll(s => s.TraceId != root.TraceId);

        var convert = Assert.Single(spans, s => s.OperationName == "scopeclaims.convert");
        Assert.Equal(ActivityStatusCode.Error, convert.Status);
        Assert.Equal(thrown.GetType().FullName, convert.StatusDescription);
        Assert.Equal("failure", convert.GetTagItem("scopeclaims.result"));
        Assert.Equal(thrown.GetType().FullName, convert.GetTagItem("error.type"));
        Assert.Null(convert.GetTagItem("scopeclaims.failure_reason"));
        Assert.Equal(string.Empty, convert.GetTagItem("scopeclaims.converter"));
    }

    [Fact]
    public async Task PartnerCall_ExportsTheTokenRequestWithTheHttpClientSpanUnderIt()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var spans = new List<Activity>();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSource("ScopeClaims*", TestSource.Name).AddHttpClientInstrumentation().AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync();
        var root = TestSource.StartActivity("test")!;
        await using (var provider = GrantClient.Build(partner))
        {
            using var response = await provider.Client().GetAsync("appointments");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        root.Stop();
        await host.StopAsync();
        spans.RemoveAll(s => s.TraceId != root.TraceId);

        var tokenRequest = Assert.Single(spans, s => s.OperationName == "scopeclaims.http.token_request");
        Assert.Equal("ScopeClaims.Http", tokenRequest.Source.Name);
        Assert.Equal(root.SpanId, tokenRequest.ParentSpanId);
        Assert.Equal("partner", tokenRequest.GetTagItem("scopeclaims.client"));
        Assert.Equal("success", tokenRequest.GetTagItem("scopeclaims.result"));
        var post = Assert.Single(spans, s => s.Kind == ActivityKind.Client && Equals(s.GetTagItem("http.request.method"), "POST"));
        Assert.Equal(tokenRequest.SpanId, post.ParentSpanId);
        Assert.Equal(partner.TokenEndpoint.AbsolutePath, new Uri((string)post.GetTagItem("url.full")!).AbsolutePath);
    }

    [Fact]
    public async Task PartnerCall_TokenEndpointRefuses_SpanHasErrorStatusAndTheErrorCode()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (400, "application/json", """{"error":"invalid_grant"}""");
        var spans = new List<Activity>();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSource("ScopeClaims*", TestSource.Name).AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync();
        var root = TestSource.StartActivity("test")!;
        await using (var provider = GrantClient.Build(partner))
        {
            await Assert.ThrowsAsync<ScopeClaims.Http.TokenEndpointErrorException>(() => provider.Client().GetAsync("appointments"));
        }

        root.Stop();
        await host.StopAsync();
        spans.RemoveAll(s => s.TraceId != root.TraceId);

        var tokenRequest = Assert.Single(spans, s => s.OperationName == "scopeclaims.http.token_request");
        Assert.Equal(ActivityStatusCode.Error, tokenRequest.Status);
        Assert.Equal("invalid_grant", tokenRequest.GetTagItem("scopeclaims.oauth_error"));
        Assert.Equal("error", tokenRequest.GetTagItem("scopeclaims.result"));
    }
}
