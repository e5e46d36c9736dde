using System.Net;
using ScopeClaims;

namespace ScopeClaims.Tests.Conversion;

public class AuthorityConversionTests
{
    private static ScopeTokenConverter Converter(InboundIssuerOptions inbound)
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(inbound);
        return new ScopeTokenConverter(options, new ScopeTokenIssuer(TestKeys.Options(TestKeys.Hmac)));
    }

    [Fact]
    public async Task Convert_WithDiscovery_ValidatesAgainstTheAuthoritysJwks()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        var converter = Converter(authority.Inbound());

        var result = await converter.ConvertAsync(authority.Token("read:a write:b"));

        Assert.Equal(ScopeSet.Parse("read:a write:b"), result.Scopes);
        Assert.Equal(1, authority.DiscoveryRequests);
        Assert.Equal(1, authority.JwksRequests);
    }

    [Fact]
    public async Task Convert_KeyRotationAtTheAuthority_IsPickedUp()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        var converter = Converter(authority.Inbound());
        await converter.ConvertAsync(authority.Token("a"));

        authority.Keys.Rotate(TokenSigningKey.Generate("ES256", "idp-2"));
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the refresh interval

        // Microsoft.IdentityModel refreshes in the background when a token names an unknown kid: the token that
        // triggers the refresh may be refused, and the new key is used as soon as the refresh lands.
        var result = await ConvertEventuallyAsync(converter, authority.Token("b"));

        Assert.Equal(ScopeSet.Parse("b"), result.Scopes);
        Assert.InRange(authority.JwksRequests, 2, 4);
        Assert.Equal(ScopeSet.Parse("c"), (await converter.ConvertAsync(authority.Token("c"))).Scopes);
    }

    [Fact]
    public async Task Convert_KeyTheAuthorityStoppedPublishing_IsRefusedOnceTheNewKeysAreIn()
    {
        // Microsoft.IdentityModel's "last known good" configurations would keep a withdrawn key (a compromised one, say)
        // verifying for an hour after the authority dropped it.
        var withdrawn = TokenSigningKey.Generate("ES256", "idp-1");
        await using var authority = await LoopbackAuthority.StartAsync(withdrawn);
        var converter = Converter(authority.Inbound());
        await converter.ConvertAsync(authority.Token("a", withdrawn));

        authority.Keys.Rotate(TokenSigningKey.Generate("ES256", "idp-2"), retain: 0);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the refresh interval
        Assert.Equal(ScopeSet.Parse("b"), (await ConvertEventuallyAsync(converter, authority.Token("b"))).Scopes);

        for (var i = 0; i < 2; i++)
        {
            var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(authority.Token("a", withdrawn)));
            Assert.Contains(ex.Reason, new[] { TokenConversionFailure.UnknownKey, TokenConversionFailure.InvalidSignature });
        }
    }

    [Fact]
    public async Task Convert_FloodOfUnknownKids_CausesBoundedRefreshes()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        var converter = Converter(authority.Inbound(refresh: TimeSpan.FromMinutes(5)));
        await converter.ConvertAsync(authority.Token("a"));

        for (var i = 0; i < 50; i++)
        {
            var stranger = TokenSigningKey.Generate("ES256", $"unknown-{i}");
            var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(authority.Token("a", stranger)));
            Assert.Equal(TokenConversionFailure.UnknownKey, ex.Reason);
        }

        // One initial fetch, and at most one refresh within the refresh interval, whatever the flood.
        Assert.InRange(authority.JwksRequests, 1, 2);
    }

    [Theory]
    [InlineData(LoopbackAuthority.Behavior.ServerError)]
    [InlineData(LoopbackAuthority.Behavior.Garbage)]
    [InlineData(LoopbackAuthority.Behavior.EmptyJwks)]
    public async Task Convert_AuthorityFaulty_FailsClosed_ThenRecovers(LoopbackAuthority.Behavior fault)
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        authority.Mode = fault;
        var converter = Converter(authority.Inbound());

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(authority.Token("a")));
        Assert.Contains(ex.Reason, new[] { TokenConversionFailure.KeysUnavailable, TokenConversionFailure.UnknownKey, TokenConversionFailure.InvalidSignature });

        authority.Mode = LoopbackAuthority.Behavior.Healthy;
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        Assert.Equal(ScopeSet.Parse("a"), (await ConvertEventuallyAsync(converter, authority.Token("a"))).Scopes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Convert_AuthorityRedirectingToAnotherHost_IsKeysUnavailable_AndTheOtherHostIsNeverAsked(bool userHandlerFollowsRedirects)
    {
        // The other host serves a healthy authority with the attacker's key; a client that followed the redirect would
        // validate the attacker's token against it.
        var attackerKey = TokenSigningKey.Generate("ES256", "idp-1");
        await using var attacker = await LoopbackAuthority.StartAsync(attackerKey);
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        authority.Mode = LoopbackAuthority.Behavior.Redirect;
        authority.RedirectTarget = attacker.Address;
        using var following = new HttpClientHandler { AllowAutoRedirect = true };
        var converter = Converter(authority.Inbound(handler: userHandlerFollowsRedirects ? following : null));
        var forged = SourceTokens.Sign(SourceTokens.Header(attackerKey), SourceTokens.Payload("admin", issuer: authority.Issuer), attackerKey);

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(forged));

        Assert.Equal(TokenConversionFailure.KeysUnavailable, ex.Reason);
        Assert.Equal("The inbound issuer's OpenID Connect metadata or JWKS could not be obtained (InvalidOperationException).", ex.Message);
        Assert.Equal(userHandlerFollowsRedirects ? 1 : 0, attacker.DiscoveryRequests);
        Assert.Equal(0, attacker.JwksRequests);
    }

    [Theory]
    [InlineData(LoopbackAuthority.Behavior.DuplicateKeys)]
    [InlineData(LoopbackAuthority.Behavior.DuplicateJwksUri)]
    public async Task Convert_MetadataOrJwksNamingAMemberTwice_IsKeysUnavailable(LoopbackAuthority.Behavior mode)
    {
        // A first-wins reader would trust the attacker's keys: the decoy comes first in both documents.
        var attackerKey = TokenSigningKey.Generate("ES256", "idp-1");
        await using var attacker = await LoopbackAuthority.StartAsync(attackerKey);
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        authority.Mode = mode;
        authority.RedirectTarget = attacker.Address;
        authority.Decoy = attacker.Keys;
        var forged = SourceTokens.Sign(SourceTokens.Header(attackerKey), SourceTokens.Payload("admin", issuer: authority.Issuer), attackerKey);

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter(authority.Inbound()).ConvertAsync(forged));

        Assert.Equal(TokenConversionFailure.KeysUnavailable, ex.Reason);
        Assert.Equal(0, attacker.JwksRequests);
    }

    [Fact]
    public async Task Convert_JkuAndX5uHeaders_AreNeverFetched()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        var recorder = new RecordingHandler();
        var converter = Converter(authority.Inbound(handler: recorder));
        var key = authority.Keys.Active;
        var payload = SourceTokens.Payload("admin", issuer: authority.Issuer);

        foreach (var header in new[] { "jku", "x5u" })
        {
            var token = SourceTokens.Sign($$"""{"alg":"ES256","kid":"idp-1","{{header}}":"{{authority.Issuer}}jwks"}""", payload, key);
            var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(token));
            Assert.Equal(TokenConversionFailure.UntrustedKeyReference, ex.Reason);
        }

        Assert.Equal(0, recorder.Requests);
        Assert.Equal(0, authority.JwksRequests);
    }

    [Fact]
    public void Options_PlainHttpAuthority_IsRefusedUnlessLoopback()
    {
        var remote = new InboundIssuerOptions { Issuer = "https://idp.test/", Authority = new Uri("http://idp.test/") };
        remote.Audiences.Add("a");
        remote.Algorithms.Add("RS256");

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Converter(remote));

        Assert.Contains("https", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<ScopeTokenConversion> ConvertEventuallyAsync(ScopeTokenConverter converter, string token)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await converter.ConvertAsync(token);
            }
            catch (TokenConversionException ex) when (attempt < 50 && ex.Reason is TokenConversionFailure.UnknownKey or TokenConversionFailure.KeysUnavailable or TokenConversionFailure.InvalidSignature)
            {
                await Task.Delay(100);
            }
        }
    }

    private sealed class RecordingHandler : DelegatingHandler
    {
        private int _requests;

        public RecordingHandler()
            : base(new HttpClientHandler())
        {
        }

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
