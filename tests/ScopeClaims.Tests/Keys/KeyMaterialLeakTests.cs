using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims;

namespace ScopeClaims.Tests.Keys;

/// <summary>
/// A malformed or refused key of any kind is a <see cref="SigningKeyException"/> (or, at start, an
/// <see cref="OptionsValidationException"/>) whose whole chain quotes no private member, PEM body, password or file
/// content, through every entry point that takes it.
/// </summary>
public sealed class KeyMaterialLeakTests
{
    public static TheoryData<string> Keys() => MalformedKeys.Names();

    [Theory]
    [MemberData(nameof(Keys))]
    public void Factory_MalformedKey_ThrowsSigningKeyExceptionWithoutKeyMaterial(string name)
    {
        var key = MalformedKeys.Get(name);
        foreach (var (via, load) in key.LibraryLoads())
        {
            var ex = Record.Exception(() => load());

            SecretLeak.AssertAbsent(Expect<SigningKeyException>(ex, via), key.Secrets);
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void IssuerConstructor_MalformedKeyOptions_ThrowsOptionsValidationWithoutKeyMaterial(string name)
    {
        var key = MalformedKeys.Get(name);
        foreach (var (via, values) in key.Configurations())
        {
            var options = new ScopeTokenOptions { Issuer = "https://issuer.test" };
            options.Audiences.Add("https://partner.test");
            options.SigningKey.Path = values.GetValueOrDefault("Path");
            options.SigningKey.Pem = values.GetValueOrDefault("Pem");
            options.SigningKey.Jwk = values.GetValueOrDefault("Jwk");
            options.SigningKey.CertificatePath = values.GetValueOrDefault("CertificatePath");
            options.SigningKey.CertificateKeyPath = values.GetValueOrDefault("CertificateKeyPath");
            options.SigningKey.CertificatePassword = values.GetValueOrDefault("CertificatePassword");

            var ex = Record.Exception(() => new ScopeTokenIssuer(options));

            SecretLeak.AssertAbsent(Expect<OptionsValidationException>(ex, via), key.Secrets);
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task HostStart_MalformedKeyInConfiguration_FailsWithoutKeyMaterial(string name)
    {
        var key = MalformedKeys.Get(name);
        foreach (var (via, values) in key.Configurations())
        {
            var builder = Host.CreateApplicationBuilder();
            var configuration = new Dictionary<string, string?>
            {
                ["ScopeTokens:Issuer"] = "https://issuer.test",
                ["ScopeTokens:Audiences:0"] = "https://partner.test",
            };
            foreach (var (option, value) in values)
            {
                configuration["ScopeTokens:SigningKey:" + option] = value;
            }

            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Services.AddArrayScopeTokens(builder.Configuration.GetSection("ScopeTokens"));
            using var host = builder.Build();

            var ex = await Record.ExceptionAsync(() => host.StartAsync());

            var failure = Assert.Single(Expect<OptionsValidationException>(ex, via).Failures);
            Assert.StartsWith("ScopeTokenOptions.SigningKey", failure, StringComparison.Ordinal);
            Assert.Contains(via.Replace(':', '.'), failure, StringComparison.Ordinal);
            SecretLeak.AssertAbsent(ex, key.Secrets);
        }
    }

    [Theory]
    [InlineData("jwk-rsa-trailing-comma", "The JWK is not well-formed JSON (RFC 8259)")]
    [InlineData("jwk-rsa-single-quotes", "The JWK is not well-formed JSON (RFC 8259)")]
    [InlineData("jwk-rsa-truncated", "The JWK is not well-formed JSON (RFC 8259)")]
    [InlineData("jwk-rsa-duplicate-d", "The JWK names a member twice")]
    [InlineData("jwk-rsa-e-number", "The JWK member 'e' has the wrong JSON type")]
    [InlineData("jwk-rsa-d-object", "The JWK member 'd' has the wrong JSON type")]
    [InlineData("jwk-rsa-key-ops-numbers", "The JWK member 'key_ops' has the wrong JSON type")]
    [InlineData("jwk-ec-x5c-objects", "The JWK member 'x5c' has the wrong JSON type")]
    [InlineData("jwk-rsa-qi-not-base64url", "The JWK member 'qi' is not valid base64url")]
    [InlineData("jwk-rsa-kty-is-secret", "The JWK key type (a value not shown) is not supported")]
    [InlineData("jwk-ec-crv-is-secret", "The JWK curve (a value not shown) is not supported")]
    [InlineData("jwk-ec-alg-is-secret", "The signing algorithm (a value not shown) is not supported")]
    [InlineData("jwks-two-private-keys", "is a JWK set")]
    [InlineData("jwk-rsa-1024", "The RSA key has 1024 bits")]
    [InlineData("pem-rsa-1024", "The RSA key has 1024 bits")]
    [InlineData("pem-two-private-keys", "The PEM holds 2 private keys")]
    [InlineData("pem-encrypted", "encrypted private key")]
    [InlineData("pkcs12-wrong-password", "could not be opened (CryptographicException): wrong password, or not a PKCS#12 file")]
    [InlineData("certificate-key-mismatch", "could not be loaded (")]
    // Note: PEM text as a path "does not exist", or "is too long a path" when the random key's base64 puts more than 255
    // characters before its first '/' (a path component longer than NAME_MAX); either way it is not shown.
    [InlineData("path-is-pem-text", "The key file (not shown: it does not look like a path) ")]
    [InlineData("path-is-jwk-text", "The key file (not shown: it does not look like a path) ")]
    public void Factory_MalformedKey_MessageSaysWhatIsWrong(string name, string expected)
    {
        var key = MalformedKeys.Get(name);
        foreach (var (via, load) in key.LibraryLoads())
        {
            var ex = Expect<SigningKeyException>(Record.Exception(() => load()), via);

            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
    }

    internal static T Expect<T>(Exception? ex, string via)
        where T : Exception
    {
        Assert.True(ex is T, $"{via}: expected {typeof(T).Name}, got {ex?.GetType().Name ?? "no exception"}: {ex?.Message}");
        return (T)ex!;
    }

    [Fact]
    public void SecretLeak_QuotedSecret_IsCaught()
    {
        // The helper itself: a chain that does quote the key fails it, at depth, in Data and in an aggregate.
        var key = MalformedKeys.Get("jwk-rsa-trailing-comma");
        var secret = key.Secrets[0];
        var deep = new InvalidOperationException("outer", new AggregateException(new FormatException("fine"), new ArgumentException("x" + secret[3..40])));
        var data = new InvalidOperationException("outer");
        data.Data["json"] = key.Text;

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => SecretLeak.AssertAbsent(deep, key.Secrets));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => SecretLeak.AssertAbsent(data, key.Secrets));
        SecretLeak.AssertAbsent(new InvalidOperationException("outer", new FormatException("fine")), key.Secrets);
    }
}
