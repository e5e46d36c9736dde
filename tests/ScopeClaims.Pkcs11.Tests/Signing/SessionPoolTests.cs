using System.Reflection;

namespace ScopeClaims.Pkcs11.Tests.Signing;

[Collection(SoftHsmGroup.Name)]
public sealed class SessionPoolTests(SoftHsm hsm)
{
    [SkippableFact]
    public void TrySign_NoSessionFreeWithinSignTimeout_ThrowsUnavailableNamingSignTimeoutAndSignsNothing()
    {
        hsm.SkipIfMissing();
        var options = SoftHsm.Options("ec256", "ES256");
        options.MaxSessions = 1;
        options.SignTimeout = TimeSpan.FromMilliseconds(200);
        using var signer = Pkcs11TokenSigner.Open(options);
        var destination = new byte[signer.SignatureSize];

        // Note: the pool's only session is taken through the signer's own semaphore: a C_Sign cannot be held open from
        // outside, and this is exactly what a signature in progress holds.
        var pool = (SemaphoreSlim)typeof(Pkcs11TokenSigner).GetField("_sessions", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(signer)!;
        Assert.True(pool.Wait(0));
        try
        {
            var ex = Assert.Throws<Pkcs11SignerUnavailableException>(() => signer.TrySign("a.b"u8, destination, out _));

            Assert.Contains("SignTimeout", ex.Message, StringComparison.Ordinal);
            Assert.All(destination, b => Assert.Equal(0, b));
        }
        finally
        {
            pool.Release();
        }

        Assert.True(signer.TrySign("a.b"u8, destination, out var written));
        Assert.Equal(signer.SignatureSize, written);
    }
}
