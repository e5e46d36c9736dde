using System.Collections.Concurrent;

namespace ScopeClaims.Pkcs11.Tests.Signing;

[Collection(SoftHsmGroup.Name)]
public sealed class ConcurrencyTests(SoftHsm hsm)
{
    private const int Threads = 32;
    private const int TokensPerThread = 500;

    [SkippableTheory]
    [InlineData("ec256", "ES256")]
    [InlineData("rsa", "RS256")]
    public void Issue_32ThreadsOf500TokensOnAPoolOf8Sessions_EveryTokenIssuedAndVerified(string keyLabel, string algorithm)
    {
        hsm.SkipIfMissing();
        var options = SoftHsm.Options(keyLabel, algorithm);
        options.MaxSessions = 8;
        options.SignTimeout = TimeSpan.FromMinutes(2);
        using var signer = Pkcs11TokenSigner.Open(options);
        var issuer = SoftHsm.IssuerOf(signer);
        var jwks = issuer.Keys.ExportPublicJwks();
        var tokens = new ConcurrentBag<string>();
        var failures = new ConcurrentQueue<Exception>();
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < TokensPerThread; i++)
            {
                try
                {
                    tokens.Add(issuer.Issue(ScopeSet.Parse("read"), $"thread-{t}-{i}"));
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);
        Assert.Equal(Threads * TokensPerThread, tokens.Count);
        Assert.All(tokens, t => Assert.True(SoftHsm.Validate(t, jwks).IsValid));
    }
}
