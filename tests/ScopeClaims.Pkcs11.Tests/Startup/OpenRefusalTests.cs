using Microsoft.Extensions.Options;

namespace ScopeClaims.Pkcs11.Tests.Startup;

/// <summary>Every start-up refusal: an OptionsValidationException naming the option, never the PIN.</summary>
[Collection(SoftHsmGroup.Name)]
public sealed class OpenRefusalTests(SoftHsm hsm) : IDisposable
{
    private readonly string _textFile = Path.GetTempFileName();

    [SkippableFact]
    public void Open_WrongPin_RefusesNamingUserPinAndNotThePin()
    {
        hsm.SkipIfMissing();
        var options = SoftHsm.Options("rsa", "RS256");
        options.UserPin = "Wrong-9999-pin";

        var ex = Refused(options, "Pkcs11SigningKeyOptions.UserPin");

        Assert.Contains("CKR_PIN_INCORRECT", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-9999-pin", ex.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_WrongPinWhileAnotherSignerOfTheProcessIsLoggedInToTheToken_StillRefused()
    {
        hsm.SkipIfMissing();
        using var loggedIn = Pkcs11TokenSigner.Open(SoftHsm.Options("rsa", "RS256"));
        var options = SoftHsm.Options("ec256", "ES256");
        options.UserPin = "Wrong-5151-pin";

        var ex = Refused(options, "Pkcs11SigningKeyOptions.UserPin");

        Assert.DoesNotContain("Wrong-5151-pin", ex.ToString(), StringComparison.Ordinal);
        using var right = Pkcs11TokenSigner.Open(SoftHsm.Options("ec256", "ES256"));
    }

    [SkippableFact]
    public void Open_PinFromEnvironmentVariable_SignsAndAWrongOneIsRefusedNamingTheVariableOption()
    {
        hsm.SkipIfMissing();
        var variable = "SCOPECLAIMS_TEST_PIN_" + Guid.NewGuid().ToString("N");
        var options = SoftHsm.Options("rsa", "RS256");
        options.UserPin = null;
        options.UserPinEnvironmentVariable = variable;
        Environment.SetEnvironmentVariable(variable, SoftHsm.Pin);
        try
        {
            using (Pkcs11TokenSigner.Open(options))
            {
            }

            Environment.SetEnvironmentVariable(variable, "Wrong-1111-pin");
            var ex = Refused(options, "Pkcs11SigningKeyOptions.UserPinEnvironmentVariable");
            Assert.DoesNotContain("Wrong-1111-pin", ex.ToString(), StringComparison.Ordinal);

            Environment.SetEnvironmentVariable(variable, null);
            Refused(options, "Pkcs11SigningKeyOptions.UserPinEnvironmentVariable");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [SkippableFact]
    public void Open_MissingToken_RefusesNamingTokenLabel()
    {
        hsm.SkipIfMissing();

        var ex = Refused(SoftHsm.Options("rsa", "RS256", token: "no-such-token"), "Pkcs11SigningKeyOptions.TokenLabel");

        Assert.Contains("no-such-token", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_MissingSlot_RefusesNamingSlotId()
    {
        hsm.SkipIfMissing();
        var options = SoftHsm.Options("rsa", "RS256");
        options.TokenLabel = null;
        options.SlotId = 987654;

        Refused(options, "Pkcs11SigningKeyOptions.SlotId");
    }

    [SkippableFact]
    public void Open_MissingKeyLabel_RefusesNamingKeyLabel()
    {
        hsm.SkipIfMissing();

        Refused(SoftHsm.Options("no-such-key", "RS256"), "Pkcs11SigningKeyOptions.KeyLabel");
    }

    [SkippableFact]
    public void Open_MissingKeyId_RefusesNamingKeyId()
    {
        hsm.SkipIfMissing();
        var options = SoftHsm.Options("ignored", "RS256");
        options.KeyLabel = null;
        options.KeyId = "7f7f";

        Refused(options, "Pkcs11SigningKeyOptions.KeyId");
    }

    [SkippableTheory]
    [InlineData("ec256", "RS256")]
    [InlineData("ec256", "PS256")]
    [InlineData("rsa", "ES256")]
    public void Open_KeyOfTheWrongType_RefusesNamingAlgorithm(string keyLabel, string algorithm)
    {
        hsm.SkipIfMissing();

        var ex = Refused(SoftHsm.Options(keyLabel, algorithm), "Pkcs11SigningKeyOptions.Algorithm");

        Assert.Contains(algorithm, ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_Rsa1024Key_RefusesNamingTheKeyAndTheSize()
    {
        hsm.SkipIfMissing();

        var ex = Refused(SoftHsm.Options("rsa1024", "RS256"), "Pkcs11SigningKeyOptions.KeyLabel");

        Assert.Contains("2048", ex.Message.Replace(",", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_P384KeyForEs256_RefusesNamingTheKey()
    {
        hsm.SkipIfMissing();

        var ex = Refused(SoftHsm.Options("ec384", "ES256"), "Pkcs11SigningKeyOptions.KeyLabel");

        Assert.Contains("ES256", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_ExtractableKeyWithoutOptIn_RefusesNamingAllowExtractableKey()
    {
        hsm.SkipIfMissing();

        var ex = Refused(SoftHsm.Options("extractable", "RS256"), "Pkcs11SigningKeyOptions.AllowExtractableKey");

        Assert.Contains("CKA_EXTRACTABLE true", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_ExtractableKeyWithOptIn_Signs()
    {
        hsm.SkipIfMissing();
        var options = SoftHsm.Options("extractable", "RS256");
        options.AllowExtractableKey = true;

        using var signer = Pkcs11TokenSigner.Open(options);
        var issuer = SoftHsm.IssuerOf(signer);

        Assert.True(SoftHsm.Validate(issuer.Issue(ScopeSet.Parse("read")), issuer.Keys.ExportPublicJwks()).IsValid);
    }

    [SkippableFact]
    public void Open_PublicKeyObjectOfAnotherKey_RefusedByThePairwiseCheck()
    {
        hsm.SkipIfMissing();

        var ex = Refused(SoftHsm.Options("mismatched", "ES256"), "Pkcs11SigningKeyOptions.KeyLabel");

        Assert.Contains("pairwise", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_LibraryPathIsAnExecutable_RefusesAsNotAPkcs11Library()
    {
        hsm.SkipIfMissing();
        var options = SoftHsm.Options("rsa", "RS256");
        options.LibraryPath = "/bin/ls";

        var ex = Refused(options, "Pkcs11SigningKeyOptions.LibraryPath");

        Assert.Contains("not a PKCS#11 library", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_LibraryPathIsATextFile_RefusesAsNotAPkcs11Library()
    {
        hsm.SkipIfMissing();
        File.WriteAllText(_textFile, "not a library\n");
        var options = SoftHsm.Options("rsa", "RS256");
        options.LibraryPath = _textFile;

        var ex = Refused(options, "Pkcs11SigningKeyOptions.LibraryPath");

        Assert.Contains("not a PKCS#11 library", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_LibraryPathIsASharedLibraryWithoutPkcs11_RefusesAsNotAPkcs11Library()
    {
        hsm.SkipIfMissing();
        var libc = new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/libz.so.1" }.FirstOrDefault(File.Exists);
        Skip.If(libc is null, "no libz.so.1 to load");
        var options = SoftHsm.Options("rsa", "RS256");
        options.LibraryPath = libc;

        var ex = Refused(options, "Pkcs11SigningKeyOptions.LibraryPath");

        Assert.Contains("C_GetFunctionList", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingLibraryFile_RefusesNamingLibraryPath()
    {
        var options = SoftHsm.Options("rsa", "RS256");
        options.LibraryPath = "/nonexistent/libpkcs11.so";

        Refused(options, "Pkcs11SigningKeyOptions.LibraryPath");
    }

    [Fact]
    public void Open_OptionsMissingOrOutOfRange_ListsEveryProblemAtOnce()
    {
        var options = new Pkcs11SigningKeyOptions
        {
            KeyId = "zz",
            Algorithm = "HS256",
            MaxSessions = 0,
            SignTimeout = TimeSpan.Zero,
            RetryInterval = TimeSpan.Zero,
            JwtKeyId = " ",
        };

        var ex = Assert.Throws<OptionsValidationException>(() => Pkcs11TokenSigner.Open(options));

        foreach (var option in new[] { "LibraryPath", "TokenLabel", "KeyId", "Algorithm", "UserPin", "MaxSessions", "SignTimeout", "RetryInterval", "JwtKeyId" })
        {
            Assert.Contains(ex.Failures, f => f.StartsWith("Pkcs11SigningKeyOptions." + option, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Open_BothPinSources_Refused()
    {
        var options = SoftHsm.Options("rsa", "RS256");
        options.UserPinEnvironmentVariable = "SOME_VARIABLE";

        var ex = Refused(options, "Pkcs11SigningKeyOptions.UserPin");

        SoftHsm.AssertNoPin(ex);
    }

    [Fact]
    public void Open_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => Pkcs11TokenSigner.Open(null!));

    public void Dispose() => File.Delete(_textFile);

    private static OptionsValidationException Refused(Pkcs11SigningKeyOptions options, string option)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Pkcs11TokenSigner.Open(options));
        Assert.Contains(ex.Failures, f => f.StartsWith(option, StringComparison.Ordinal));
        Assert.Equal(typeof(Pkcs11SigningKeyOptions), ex.OptionsType);
        SoftHsm.AssertNoPin(ex);
        return ex;
    }
}
