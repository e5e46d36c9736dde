using ScopeClaims;
using ScopeClaims.Reliability.Tests.Infrastructure;
using ScopeClaims.Tests.Conversion;
using Xunit.Abstractions;

namespace ScopeClaims.Reliability.Tests.Faults;

/// <summary>
/// An authority that hangs: the caller's cancellation is honoured, and without one the converter fails closed; it never
/// accepts a token with any other key. (500, garbage and empty JWKS are covered by AuthorityConversionTests.)
/// </summary>
public class HangingAuthorityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Convert_AuthorityHangs_CallerCancellationIsHonoured()
    {
        await using var authority = await HangingAuthority.StartAsync();
        var converter = Converter(authority);
        var token = Token(authority, SourceTokens.IssuerKey);
        using var cancel = new CancellationTokenSource();

        // Note: cancelled once the request has reached the authority (not after a fixed delay, which a loaded machine
        // can outrun before the first connection is even made); bounded, so a request that never comes fails the test.
        var conversion = converter.ConvertAsync(token, cancel.Token);
        for (var waited = 0; authority.Requests == 0 && waited < 30_000; waited += 20)
        {
            await Task.Delay(20);
        }

        Assert.False(conversion.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => conversion);

        Assert.Equal(1, authority.Requests);
    }

    [Fact]
    public async Task Convert_AuthorityHangs_ConcurrentCallersAreAllCancelled_NoneSucceedsWithAnotherKey()
    {
        await using var authority = await HangingAuthority.StartAsync();
        var converter = Converter(authority);

        // The converter's own key, the static key of ScopeClaims.Tests' issuer and fresh keys: none may be a fallback.
        var keys = new[] { SourceTokens.IssuerKey, TokenSigningKey.Generate("RS256", "stranger-rs"), TokenSigningKey.Generate("HS256", "stranger-hs") };
        var calls = Enumerable.Range(0, 24).Select(async i =>
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200 + (10 * i)));
            return await Record(() => converter.ConvertAsync(Token(authority, keys[i % keys.Length]), cancel.Token));
        }).ToArray();

        var outcomes = await Task.WhenAll(calls);

        Assert.All(outcomes, o => Assert.True(o is OperationCanceledException || o is TokenConversionException, o?.GetType().Name ?? "succeeded"));
        output.WriteLine($"24 callers against a hanging authority: {outcomes.Count(o => o is OperationCanceledException)} cancelled, {outcomes.Count(o => o is TokenConversionException)} refused, 0 succeeded; {authority.Requests} request(s) reached it");
    }

    [Fact]
    public async Task Convert_AuthorityHangs_NoCallerCancellation_FailsClosed()
    {
        await using var authority = await HangingAuthority.StartAsync();
        var converter = Converter(authority);

        // Note: this waits for the converter's own backchannel timeout (30 s); no timing is asserted, only the outcome.
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(Token(authority, SourceTokens.IssuerKey)));

        // The converter fetches the metadata itself before validating, so an unreachable authority is reported as such.
        output.WriteLine($"no cancellation: {ex.Reason} ({ex.Message})");
        Assert.Equal(TokenConversionFailure.KeysUnavailable, ex.Reason);
    }

    private static ScopeTokenConverter Converter(HangingAuthority authority)
    {
        var inbound = new InboundIssuerOptions { Issuer = authority.Address.AbsoluteUri, Authority = authority.Address };
        inbound.Audiences.Add(SourceTokens.Api);
        inbound.Algorithms.Add("RS256");
        inbound.Algorithms.Add("HS256");
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(inbound);
        var ours = new ScopeTokenOptions { Issuer = "https://ours.test", SigningKeys = new SigningKeySet(TokenSigningKey.Generate("ES256", "ours")) };
        ours.Audiences.Add("https://partner.test");
        return new ScopeTokenConverter(options, new ScopeTokenIssuer(ours));
    }

    private static string Token(HangingAuthority authority, TokenSigningKey key) =>
        SourceTokens.Sign(SourceTokens.Header(key), SourceTokens.Payload("read:a", issuer: authority.Address.AbsoluteUri), key);

    private static async Task<Exception?> Record(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
