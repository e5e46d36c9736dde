using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ScopeClaims.KeyManagement.Tests;

namespace ScopeClaims.Pkcs11.Tests.Recovery;

/// <summary>
/// The module's token disappears mid-run and returns. SoftHSM2 keeps a token as a directory under its token directory,
/// so moving that directory away is the token being removed (as <c>softhsm2-util --delete-token</c> does, without
/// destroying the key), and moving it back is the same token, with the same non-extractable key, returning.
/// </summary>
[Collection(SoftHsmGroup.Name)]
public sealed class TokenRemovalTests(SoftHsm hsm)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public void Issue_TokenRemovedWhileEightThreadsSign_FailsClosedWithUnavailableAndRecoversWhenTheTokenReturns()
    {
        hsm.SkipIfMissing();
        using var logs = new CapturedLogs();
        using var signer = OpenRemovable(logs);
        var issuer = SoftHsm.IssuerOf(signer);
        var jwks = issuer.Keys.ExportPublicJwks();
        var away = hsm.AwayDirectory;
        var phase = 0;
        var outcomes = new ConcurrentQueue<(int Phase, string? Token, Exception? Error)>();
        using var stop = new CancellationTokenSource();

        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var seen = Volatile.Read(ref phase);
                try
                {
                    outcomes.Enqueue((seen, issuer.Issue(ScopeSet.Parse("read")), null));
                }
                catch (Exception ex)
                {
                    outcomes.Enqueue((seen, null, ex));
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        try
        {
            WaitUntil(() => outcomes.Any(o => o.Token is not null), "signing before the removal");

            Directory.Move(hsm.RemovableTokenDirectory, away);
            Volatile.Write(ref phase, 1);
            WaitUntil(() => outcomes.Any(o => o.Phase == 1 && o.Error is Pkcs11SignerUnavailableException), "a signature failing after the removal");
            WaitUntil(() => outcomes.Count(o => o.Phase == 1 && o.Error is not null) > 50, "signatures failing while the token is away");

            Directory.Move(away, hsm.RemovableTokenDirectory);
            Volatile.Write(ref phase, 2);
            WaitUntil(() => outcomes.Count(o => o.Phase == 2 && o.Token is not null) > 20, "signing again after the token returned");
        }
        finally
        {
            stop.Cancel();
            Assert.All(threads, t => Assert.True(t.Join(Deadline), "a signing thread did not finish"));
            if (Directory.Exists(away))
            {
                Directory.Move(away, hsm.RemovableTokenDirectory);
            }
        }

        // Fail closed: every failure is the specific exception, and no token was issued while the token was away
        // (apart from signatures that had finished before the move was seen).
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.IsType<Pkcs11SignerUnavailableException>(o.Error));
        Assert.All(outcomes.Where(o => o.Error is not null), o => SoftHsm.AssertNoPin(o.Error!));
        Assert.All(outcomes.Where(o => o.Token is not null), o => Assert.True(SoftHsm.Validate(o.Token!, jwks).IsValid));
        Assert.Equal(jwks, issuer.Keys.ExportPublicJwks());
        Assert.True(SoftHsm.Validate(issuer.Issue(ScopeSet.Parse("read")), jwks).IsValid);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("became unavailable", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Text.Contains("Reconnected", StringComparison.Ordinal));
        Assert.All(logs.Entries, e => Assert.DoesNotContain(SoftHsm.Pin, e.Text, StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Issue_TokenReplacedByAnotherWithTheSameLabelsButANewKey_RefusesToSignUnderTheOldKid()
    {
        hsm.SkipIfMissing();
        using var logs = new CapturedLogs();
        using var signer = OpenRemovable(logs);
        var issuer = SoftHsm.IssuerOf(signer);
        var jwks = issuer.Keys.ExportPublicJwks();
        Assert.True(SoftHsm.Validate(issuer.Issue(ScopeSet.Parse("read")), jwks).IsValid);
        var away = hsm.AwayDirectory;
        string? replacement = null;

        Directory.Move(hsm.RemovableTokenDirectory, away);
        try
        {
            replacement = hsm.CreateRemovableTokenReplacement();

            var refused = WaitForRefusal(issuer, "not the key the signer started with");

            SoftHsm.AssertNoPin(refused);
            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Text.Contains("not the key the signer started with", StringComparison.Ordinal));
        }
        finally
        {
            if (replacement is not null)
            {
                Directory.Delete(replacement, recursive: true);
            }

            Directory.Move(away, hsm.RemovableTokenDirectory);
        }

        // The original token back: the same key signs again under its kid.
        string? token = null;
        WaitUntil(() => TryIssue(issuer, out token), "signing again after the original token returned");
        Assert.True(SoftHsm.Validate(token!, jwks).IsValid);
    }

    [SkippableFact]
    public void Issue_AnotherTokenOfTheSameModuleRemovedAndReturned_KeepsSigningWithoutAFailure()
    {
        hsm.SkipIfMissing();
        using var removable = Pkcs11TokenSigner.Open(RemovableOptions());
        using var steady = Pkcs11TokenSigner.Open(SoftHsm.Options("ec256", "ES256"));
        var removableIssuer = SoftHsm.IssuerOf(removable);
        var steadyIssuer = SoftHsm.IssuerOf(steady);
        var jwks = steadyIssuer.Keys.ExportPublicJwks();
        var away = hsm.AwayDirectory;

        Directory.Move(hsm.RemovableTokenDirectory, away);
        try
        {
            // The removable token's signer fails, and its reconnection initializes the shared module again.
            Assert.Throws<Pkcs11SignerUnavailableException>(() => removableIssuer.Issue(ScopeSet.Parse("read")));
            Assert.Throws<Pkcs11SignerUnavailableException>(() => removableIssuer.Issue(ScopeSet.Parse("read")));

            Assert.True(SoftHsm.Validate(steadyIssuer.Issue(ScopeSet.Parse("read")), jwks).IsValid);
        }
        finally
        {
            Directory.Move(away, hsm.RemovableTokenDirectory);
        }

        string? token = null;
        WaitUntil(() => TryIssue(removableIssuer, out token), "the removable token's signer signing again");
        Assert.True(SoftHsm.Validate(steadyIssuer.Issue(ScopeSet.Parse("read")), jwks).IsValid);
    }

    [SkippableFact]
    public void Issue_ModuleFileAndTokenGoneThenBack_FailsClosedWhileTheModuleCannotBeLoadedAndRecovers()
    {
        hsm.SkipIfMissing();

        // A copy of the module of this test's own, so that its file can go away (the system's is left alone).
        var module = Path.Combine(Path.GetDirectoryName(hsm.TokenDirectory)!, "libsofthsm2-copy.so");
        File.Copy(SoftHsm.Module, module, overwrite: true);
        var options = RemovableOptions();
        options.LibraryPath = module;
        using var signer = Pkcs11TokenSigner.Open(options);
        var issuer = SoftHsm.IssuerOf(signer);
        var jwks = issuer.Keys.ExportPublicJwks();
        var away = hsm.AwayDirectory;

        Directory.Move(hsm.RemovableTokenDirectory, away);
        File.Move(module, module + ".away");
        try
        {
            Assert.Throws<Pkcs11SignerUnavailableException>(() => issuer.Issue(ScopeSet.Parse("read")));
            var ex = WaitForRefusal(issuer, "does not exist");
            SoftHsm.AssertNoPin(ex);
        }
        finally
        {
            File.Move(module + ".away", module);
            Directory.Move(away, hsm.RemovableTokenDirectory);
        }

        string? token = null;
        WaitUntil(() => TryIssue(issuer, out token), "signing again after the module and token returned");
        Assert.True(SoftHsm.Validate(token!, jwks).IsValid);
    }

    private static Pkcs11TokenSigner OpenRemovable(CapturedLogs logs)
    {
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        return Pkcs11TokenSigner.Open(RemovableOptions(), loggerFactory.CreateLogger("test"));
    }

    private static Pkcs11SigningKeyOptions RemovableOptions()
    {
        var options = SoftHsm.Options("removable-rsa", "RS256", SoftHsm.RemovableToken);
        options.SignTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    private static Pkcs11SignerUnavailableException WaitForRefusal(ScopeTokenIssuer issuer, string text)
    {
        Pkcs11SignerUnavailableException? last = null;
        WaitUntil(
            () =>
            {
                try
                {
                    issuer.Issue(ScopeSet.Parse("read"));
                    Assert.Fail("a token was issued while the key or module was not the one the signer started with");
                }
                catch (Pkcs11SignerUnavailableException ex)
                {
                    last = ex;
                }

                return last.Message.Contains(text, StringComparison.Ordinal);
            },
            $"a refusal saying '{text}'",
            () => last?.Message ?? "no failure");
        return last!;
    }

    private static bool TryIssue(ScopeTokenIssuer issuer, out string? token)
    {
        try
        {
            token = issuer.Issue(ScopeSet.Parse("read"));
            return true;
        }
        catch (Pkcs11SignerUnavailableException)
        {
            token = null;
            return false;
        }
    }

    private static void WaitUntil(Func<bool> condition, string what, Func<string>? state = null)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"timed out waiting for {what} ({state?.Invoke()})");
            Thread.Sleep(20);
        }
    }
}
