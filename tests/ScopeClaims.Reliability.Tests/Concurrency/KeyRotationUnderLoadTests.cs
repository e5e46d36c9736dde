using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using Xunit.Abstractions;

namespace ScopeClaims.Reliability.Tests.Concurrency;

/// <summary>Issue (issue 9): 32 threads issue while the active key rotates twice; nothing is lost, mixed up or disposed under a signer.</summary>
public class KeyRotationUnderLoadTests(ITestOutputHelper output)
{
    private const int Threads = 32;
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData(ScopeFormat.Array, "ES256", "RS256", "HS256")]
    [InlineData(ScopeFormat.SpaceDelimited, "RS256", "RS256", "RS256")]
    public async Task Issue_32ThreadsWhileTheKeyRotatesTwice_EveryTokenVerifiesWithItsOwnScopesAndAnActiveKid(ScopeFormat format, string first, string second, string third)
    {
        var keys = new[] { TokenSigningKey.Generate(first, "load-1"), TokenSigningKey.Generate(second, "load-2"), TokenSigningKey.Generate(third, "load-3") };
        var set = new SigningKeySet(keys[0]);
        var options = new ScopeTokenOptions { Issuer = "https://issuer.test", Format = format, SigningKeys = set };
        options.Audiences.Add("https://partner.test");
        var issuer = new ScopeTokenIssuer(options);

        // Which kids were active, and from when: a token may carry the kid active when it started or one activated since.
        var activeSince = new ConcurrentDictionary<string, long>(StringComparer.Ordinal) { [keys[0].KeyId] = 0 };
        var issued = new ConcurrentBag<(string Token, ScopeSet Scopes, long Started)>();
        var failures = new ConcurrentQueue<Exception>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, Threads).Select(thread => Task.Factory.StartNew(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                // Distinct per thread and per token, and of varying size, so a mix-up cannot go unnoticed.
                var scopes = ScopeSet.Create(Enumerable.Range(0, 1 + (i % 5)).Select(n => $"t{thread}:n{i}:s{n}"));
                var started = clock.ElapsedTicks;
                try
                {
                    issued.Add((issuer.Issue(new ScopeTokenRequest(scopes) { Subject = $"thread-{thread}" }), scopes, started));
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        for (var k = 1; k < keys.Length; k++)
        {
            await Task.Delay(s_duration / 3);
            set.Rotate(keys[k]);

            // Note: recorded after Rotate returns, so a call that starts later can only see this key or a newer one.
            activeSince[keys[k].KeyId] = clock.ElapsedTicks;
        }

        // Note: stopped a third of the run after the last rotation (not on a fixed timer), so every key signs on a busy machine.
        await Task.Delay(s_duration / 3);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = "https://issuer.test",
            ValidAudience = "https://partner.test",
            IssuerSigningKeys = VerificationKeysFromTheJwks(set),
            ValidAlgorithms = TokenSigningAlgorithms.All,
            TryAllIssuerSigningKeys = false,
        };
        var perKid = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, scopes, started) in issued)
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            Assert.True(result.IsValid, result.Exception?.Message);
            var jwt = (JsonWebToken)result.SecurityToken;
            Assert.Equal(scopes.ToArray(), ScopeNormalizer.Default.Read(jwt).ToArray());
            Assert.Equal(keys.Single(k => k.KeyId == jwt.Kid).Algorithm, jwt.Alg);

            // The kid is the one active when the call began, or one activated during the call: never an older one.
            var activeAtStart = activeSince.Where(p => p.Value <= started).MaxBy(p => p.Value).Key;
            Assert.True(activeSince[jwt.Kid] >= activeSince[activeAtStart], $"A token started under '{activeAtStart}' was signed by the older '{jwt.Kid}'.");
            perKid[jwt.Kid] = perKid.GetValueOrDefault(jwt.Kid) + 1;
        }

        Assert.Equal(keys.Select(k => k.KeyId), perKid.Keys.Order(StringComparer.Ordinal));
        output.WriteLine($"{format} {first}->{second}->{third}: {issued.Count} tokens from {Threads} threads in {s_duration.TotalSeconds} s; per kid: {string.Join(", ", perKid.Select(p => $"{p.Key}={p.Value}"))}; failures: {failures.Count}");
    }

    [Fact]
    public async Task Validate_WhileTheKeyRotates_OldAndNewTokensVerify_NoObjectDisposedException()
    {
        var keys = Enumerable.Range(1, 4).Select(i => TokenSigningKey.Generate(i % 2 == 0 ? "ES256" : "RS256", $"v-{i}")).ToArray();
        var set = new SigningKeySet(keys[0]);
        var options = new ScopeTokenOptions { Issuer = "https://issuer.test", SigningKeys = set };
        options.Audiences.Add("https://partner.test");
        var issuer = new ScopeTokenIssuer(options);
        var handler = new JsonWebTokenHandler();
        var tokens = new ConcurrentQueue<string>();
        var failures = new ConcurrentQueue<Exception>();
        var verified = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        // Issuers and validators share the rotating set; validators always use the set's current verification keys.
        var workers = Enumerable.Range(0, 8).Select(n => Task.Factory.StartNew(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (n % 2 == 0)
                    {
                        tokens.Enqueue(issuer.Issue(ScopeSet.Parse($"w{n}")));
                    }
                    else if (tokens.TryDequeue(out var token))
                    {
                        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
                        {
                            ValidIssuer = "https://issuer.test",
                            ValidAudience = "https://partner.test",
                            IssuerSigningKeys = set.GetVerificationKeys(),
                        });
                        Assert.True(result.IsValid, result.Exception?.Message);
                        Interlocked.Increment(ref verified);
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        }, TaskCreationOptions.LongRunning).Unwrap()).ToArray();

        foreach (var key in keys.Skip(1))
        {
            await Task.Delay(400);
            set.Rotate(key);
        }

        await Task.WhenAll(workers);

        Assert.Empty(failures);
        Assert.True(verified > 0);
        output.WriteLine($"{verified} tokens verified during {keys.Length - 1} rotations; failures: {failures.Count}");
    }

    private static IList<SecurityKey> VerificationKeysFromTheJwks(SigningKeySet set)
    {
        // Asymmetric keys as a relying party sees them (the published JWKS); HMAC keys are never published, so they
        // come from the set itself, as a party sharing the secret would hold them.
        var published = new JsonWebKeySet(set.ExportPublicJwks()).GetSigningKeys();
        return published.Concat(set.Keys.Where(k => k.IsSymmetric).Select(k => k.Key)).ToList();
    }
}
