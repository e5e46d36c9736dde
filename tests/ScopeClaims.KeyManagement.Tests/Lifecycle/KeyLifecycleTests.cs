using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScopeClaims.KeyManagement.Internal;
using Microsoft.IdentityModel.JsonWebTokens;
using static ScopeClaims.KeyManagement.Tests.ManagedKeyHost;

namespace ScopeClaims.KeyManagement.Tests.Lifecycle;

/// <summary>
/// The lifecycle on a test clock (rotation every 10 days, announced 2 days before, kept 3 days after): announce,
/// activate, retire and delete over two full rotations, the JWKS exactly right at each step, and a token signed before
/// a rotation verifying until its own exp with the JWKS served after it.
/// </summary>
public sealed class KeyLifecycleTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectories _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Fact]
    public async Task Issue_TwoFullRotations_AnnounceActivateRetireDeleteWithTheRightJwksAtEachStep()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await StartAsync(time, _dirs.Store, _dirs.DataProtection);
        var issuer = host.Issuer_;
        string Jwks() => issuer.Keys.ExportPublicJwks();
        string SigningKid() => new JsonWebToken(issuer.Issue(ScopeSet.Parse("read"))).Kid;

        // Day 0: the first key signs at once (no token exists that a partner could verify yet).
        var a = SigningKid();
        Assert.Equal([a], Kids(Jwks()));
        Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());

        // Day 8: the successor is announced (published, not signing), 2 days before the hand-over.
        time.SetUtcNow(T0.AddDays(8));
        var b = Assert.Single(Kids(Jwks()), k => k != a);
        Assert.Equal([a, b], Kids(Jwks()));
        Assert.Equal(a, SigningKid());

        // The last second before the hand-over: a one-hour token signed by the old key.
        time.SetUtcNow(T0.AddDays(10).AddSeconds(-1));
        var beforeRotation = issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("read")) { Lifetime = TimeSpan.FromHours(1) });
        Assert.Equal(a, new JsonWebToken(beforeRotation).Kid);

        // Day 10: the successor signs; the old key is retired but still published.
        time.SetUtcNow(T0.AddDays(10));
        Assert.Equal(b, SigningKid());
        Assert.Equal([b, a], Kids(Jwks()));

        // The old token verifies with the JWKS served after the rotation until its own exp, and not after.
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.True(Validate(beforeRotation, Jwks(), time.GetUtcNow()).IsValid);
        Assert.False(Validate(beforeRotation, Jwks(), time.GetUtcNow().AddMinutes(1)).IsValid);

        // Day 13: retention over; the old key leaves the JWKS and the store.
        time.SetUtcNow(T0.AddDays(13));
        Assert.Equal([b], Kids(Jwks()));
        Assert.Equal(["key-000000000002.json"], _dirs.StoreFiles());

        // Second rotation: announced on day 18, signing on day 20, gone on day 23.
        time.SetUtcNow(T0.AddDays(18));
        var c = Assert.Single(Kids(Jwks()), k => k != b);
        Assert.Equal([b, c], Kids(Jwks()));
        Assert.Equal(b, SigningKid());

        time.SetUtcNow(T0.AddDays(20));
        Assert.Equal(c, SigningKid());
        Assert.Equal([c, b], Kids(Jwks()));

        time.SetUtcNow(T0.AddDays(23));
        Assert.Equal([c], Kids(Jwks()));
        Assert.Equal(["key-000000000003.json"], _dirs.StoreFiles());
        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        Assert.DoesNotContain("\"d\"", Jwks(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AgainOnTheSameStore_UsesTheStoredKeyAndCreatesNone()
    {
        var time = new FakeTimeProvider(T0);
        string first;
        await using (var host = await StartAsync(time, _dirs.Store, _dirs.DataProtection))
        {
            first = host.Issuer_.Keys.Active.KeyId;
        }

        time.Advance(TimeSpan.FromDays(1));
        await using var again = await StartAsync(time, _dirs.Store, _dirs.DataProtection);

        Assert.Equal(first, new JsonWebToken(again.Issuer_.Issue(ScopeSet.Parse("a"))).Kid);
        Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());
    }

    [Fact]
    public async Task Start_AfterEveryKeyExpired_CreatesAKeyThatSignsAtOnce()
    {
        var time = new FakeTimeProvider(T0);
        await using (await StartAsync(time, _dirs.Store, _dirs.DataProtection))
        {
        }

        time.Advance(TimeSpan.FromDays(40));
        await using var later = await StartAsync(time, _dirs.Store, _dirs.DataProtection);

        var kid = new JsonWebToken(later.Issuer_.Issue(ScopeSet.Parse("a"))).Kid;
        Assert.Equal([kid], Kids(later.Issuer_.Keys.ExportPublicJwks()));
        Assert.Equal(["key-000000000002.json"], _dirs.StoreFiles());
    }

    [Fact]
    public async Task Issue_StoreGoneAndEveryWindowClosed_ThrowsSigningKeyUnavailableAndCreatesNothing()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await StartAsync(time, _dirs.Store, _dirs.DataProtection);
        var kid = host.Issuer_.Keys.Active.KeyId;

        // The store becomes unusable: its directory is replaced by a file.
        Directory.Delete(_dirs.Store, recursive: true);
        File.WriteAllText(_dirs.Store, "not a directory");

        // Signing continues with the loaded key while its window is open, with a warning naming the store.
        time.SetUtcNow(T0.AddDays(9));
        Assert.Equal(kid, new JsonWebToken(host.Issuer_.Issue(ScopeSet.Parse("a"))).Kid);
        Assert.Contains(host.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Text.Contains(_dirs.Store, StringComparison.Ordinal) && e.Text.Contains("signing continues", StringComparison.Ordinal));

        // Past the key's expiry, with no successor the host could persist, issuing fails closed.
        time.SetUtcNow(T0.AddDays(10));
        var ex = Assert.Throws<SigningKeyUnavailableException>(() => host.Issuer_.Issue(ScopeSet.Parse("a")));
        Assert.Contains(kid, ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(_dirs.Store));
    }

    [Fact]
    public async Task Refresh_StoreBackAfterAnOutage_CreatesTheDueKeyAndSigningResumes()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await StartAsync(time, _dirs.Store, _dirs.DataProtection);
        var moved = _dirs.Store + ".away";
        Directory.Move(_dirs.Store, moved);
        File.WriteAllText(_dirs.Store, "not a directory");
        time.SetUtcNow(T0.AddDays(10));
        Assert.Throws<SigningKeyUnavailableException>(() => host.Issuer_.Issue(ScopeSet.Parse("a")));

        File.Delete(_dirs.Store);
        Directory.Move(moved, _dirs.Store);
        time.Advance(TimeSpan.FromDays(1));

        var kid = new JsonWebToken(host.Issuer_.Issue(ScopeSet.Parse("a"))).Kid;
        Assert.Equal(["key-000000000001.json", "key-000000000002.json"], _dirs.StoreFiles());
        Assert.Contains(kid, Kids(host.Issuer_.Keys.ExportPublicJwks()));
    }

    [Fact]
    public async Task RefreshForUnknownKeyId_KeyAnotherHostCreated_ReadsTheStoreOnceAndPublishesIt()
    {
        var time = new FakeTimeProvider(T0);
        await using var a = await StartAsync(time, _dirs.Store, _dirs.DataProtection);
        await using var b = await StartAsync(time, _dirs.Store, _dirs.DataProtection);
        var announced = a.Host.Services.GetRequiredService<ManagedSigningKeys>().Announce().Key.KeyId;
        Assert.DoesNotContain(announced, Kids(b.Issuer_.Keys.ExportPublicJwks()));

        Assert.True(b.Manager.RefreshForUnknownKeyId(announced));
        Assert.Contains(announced, Kids(b.Issuer_.Keys.ExportPublicJwks()));

        // A second unknown kid right after does not read the store again (a read would find it unusable, and warn).
        Directory.Delete(_dirs.Store, recursive: true);
        File.WriteAllText(_dirs.Store, "not a directory");
        Assert.False(b.Manager.RefreshForUnknownKeyId("unknown"));
        Assert.DoesNotContain(b.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Throws<ArgumentNullException>(() => b.Manager.RefreshForUnknownKeyId(null!));
    }
}
