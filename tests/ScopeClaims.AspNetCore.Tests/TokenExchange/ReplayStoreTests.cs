using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScopeClaims.AspNetCore.Internal;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>
/// The client-assertion replay store: the endpoint asks it once per accepted assertion, with a hashed key and the
/// assertion's expiry; a store that fails refuses the request (503, nothing issued); the in-memory default is atomic.
/// </summary>
public class ReplayStoreTests
{
    private const string StoreFailureDescription = "The client-assertion replay store did not answer; nothing was issued. Try again later.";

    [Fact]
    public async Task Post_ReplayStoreThrows_503TemporarilyUnavailableAndNoToken()
    {
        const string storeMessage = "store-config password=hunter2";
        await using var host = await StartAsync(services: b => b.Services.AddSingleton<ITokenExchangeReplayStore>(new ThrowingStore(storeMessage)));
        var assertion = Assertion(OurIssuer);

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", assertion))));

        await AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", StoreFailureDescription);
        var failure = Assert.Single(host.Logs.Entries, e => e.Event.Name == "TokenExchangeReplayStoreFailed");
        Assert.Contains("InvalidOperationException", failure.Text, StringComparison.Ordinal);
        host.AssertLogsHoldNone(assertion, storeMessage, "hunter2");
    }

    [Fact]
    public async Task Post_ReplayStoreSaysUsed_401AndNoToken()
    {
        var store = new RecordingStore(answer: false);
        await using var host = await StartAsync(services: b => b.Services.AddSingleton<ITokenExchangeReplayStore>(store));

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer)))));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "The client assertion's 'jti' has been used before; make a fresh assertion for each request (RFC 7523 section 3).");
        Assert.Single(store.Calls);
    }

    [Fact]
    public async Task Post_Assertion_StoreGetsPrefixedHashOfClientAndJtiAndTheAssertionExpiryPlusSkew()
    {
        var store = new RecordingStore(answer: true);
        await using var host = await StartAsync(o => o.ReplayKeyPrefix = "tenant-7:", services: b => b.Services.AddSingleton<ITokenExchangeReplayStore>(store));
        var before = DateTimeOffset.UtcNow;

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer, jti: "jti-1", expiresIn: 60)))));

        await AssertSuccessAsync(response);
        var (key, expiresAt) = Assert.Single(store.Calls);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("jwt-service\njti-1"u8));
        Assert.Equal("tenant-7:" + hash, key);
        Assert.InRange(expiresAt, before.AddSeconds(60 + 30 - 2), DateTimeOffset.UtcNow.AddSeconds(60 + 30 + 1));
    }

    [Fact]
    public async Task Post_SameAssertionConcurrentlyOnOneHost_ExactlyOneIssues()
    {
        await using var host = await StartAsync();
        var body = Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer))));

        var statuses = await PostConcurrentlyAsync(Enumerable.Repeat(host.Address, 16).ToArray(), body);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.Unauthorized));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space:")]
    [InlineData("tab\t:")]
    [InlineData("é:")]
    public async Task Start_ReplayKeyPrefixInvalid_FailsNamingTheOption(string prefix)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o => o.ReplayKeyPrefix = prefix));
        Assert.Contains("TokenExchangeOptions.ReplayKeyPrefix must be 1 to 64 printable ASCII characters without spaces.", ex.Failures);
    }

    [Fact]
    public async Task Start_ReplayKeyPrefixLongerThan64_Fails()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o => o.ReplayKeyPrefix = new string('p', 65)));
        Assert.Contains("TokenExchangeOptions.ReplayKeyPrefix must be 1 to 64 printable ASCII characters without spaces.", ex.Failures);
    }

    [Fact]
    public async Task InMemoryStore_SameKeyTwice_FirstOnlyUntilExpiry()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var store = new InMemoryTokenExchangeReplayStore(time);
        var until = time.Now.AddMinutes(1);

        Assert.True(await store.TryUseAsync("k", until, CancellationToken.None));
        Assert.False(await store.TryUseAsync("k", until, CancellationToken.None));
        Assert.True(await store.TryUseAsync("other", until, CancellationToken.None));
        time.Now = until.AddSeconds(1);
        Assert.True(await store.TryUseAsync("k", time.Now.AddMinutes(1), CancellationToken.None));
        Assert.False(await store.TryUseAsync("k", time.Now.AddMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task InMemoryStore_OneKeyFromManyThreads_ExactlyOneFirst()
    {
        var store = new InMemoryTokenExchangeReplayStore(TimeProvider.System);
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            var wins = 0;
            for (var i = 0; i < 2000; i++)
            {
                wins += await store.TryUseAsync("key-" + i, until, CancellationToken.None) ? 1 : 0;
            }

            return wins;
        })).ToArray();

        start.Set();
        var wins = await Task.WhenAll(tasks);

        Assert.Equal(2000, wins.Sum());
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class ThrowingStore(string message) : ITokenExchangeReplayStore
    {
        public ValueTask<bool> TryUseAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken) => throw new InvalidOperationException(message);
    }

    private sealed class RecordingStore(bool answer) : ITokenExchangeReplayStore
    {
        public ConcurrentQueue<(string Key, DateTimeOffset ExpiresAt)> Calls { get; } = new();

        public ValueTask<bool> TryUseAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        {
            Calls.Enqueue((key, expiresAt));
            return ValueTask.FromResult(answer);
        }
    }
}
