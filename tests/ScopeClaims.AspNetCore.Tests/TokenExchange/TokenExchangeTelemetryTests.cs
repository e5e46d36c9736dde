using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Tests.Shared;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

public class TokenExchangeTelemetryTests
{
    [Fact]
    public async Task Exchange_Listened_CountsEachRequestByResultErrorCodeAndMethod_AndTagsHoldNoSecret()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = static s => s.Name == "ScopeClaims.AspNetCore",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(activities);
        await using var host = await StartAsync();
        using var recorder = new HostMeterRecorder(host.Services.GetRequiredService<IMeterFactory>(), "ScopeClaims.AspNetCore");
        var measurements = recorder.Measurements;
        var subject = Subject("read write");

        using var issued = await host.ExchangeAsync(Exchange(subject, ("audience", Partner)));
        using var wrongSecret = await host.PostAsync(Form(Exchange(subject)), BasicHeader(secret: Secret + "x"));
        using var malformed = await host.PostAsync("grant_type=%ZZ", BasicHeader());

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var requests = measurements.Where(static m => m.Instrument == "scopeclaims.aspnetcore.token_exchange.requests").ToList();
        Assert.Equal(3, requests.Count);
        Assert.Single(requests, static m => m.Tag("scopeclaims.result") == "issued" && m.Tag("scopeclaims.client_authentication") == "client_secret_basic" && !m.Tags.ContainsKey("scopeclaims.oauth_error"));
        Assert.Single(requests, static m => m.Tag("scopeclaims.result") == "refused" && m.Tag("scopeclaims.oauth_error") == "invalid_client");
        Assert.Single(requests, static m => m.Tag("scopeclaims.result") == "refused" && m.Tag("scopeclaims.oauth_error") == "invalid_request");
        Assert.Equal(3, measurements.Count(static m => m.Instrument == "scopeclaims.aspnetcore.token_exchange.duration" && m.Value > 0));

        // Spans: one per request with its result; other tests of this assembly may add theirs, so these are looked for.
        Assert.Contains(spans, static s => s.OperationName == "scopeclaims.aspnetcore.token_exchange" && Equals(s.GetTagItem("scopeclaims.result"), "issued"));
        Assert.Contains(spans, static s => Equals(s.GetTagItem("scopeclaims.oauth_error"), "invalid_client") && s.Status == ActivityStatusCode.Error);
        var token = (await AssertSuccessAsync(issued)).GetProperty("access_token").GetString()!;
        var texts = spans.SelectMany(static s => s.TagObjects.Select(static t => $"{t.Key}={t.Value}").Append(s.StatusDescription ?? string.Empty))
            .Concat(measurements.SelectMany(static m => m.Tags.Select(static t => $"{t.Key}={t.Value}")))
            .ToList();
        foreach (var secret in new[] { subject, token, Secret, SecretClient, "read write" })
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Exchange_NotListened_AnswersTheSameWithoutInstruments()
    {
        await using var host = await StartAsync();

        using var issued = await host.ExchangeAsync(Exchange(Subject("read"), ("audience", Partner)));

        await AssertSuccessAsync(issued);
    }
}
