using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Cli.Tests;

/// <summary>
/// <c>inspect --jwks</c> holds a token to the converter's rules: canonical base64url in every part, a strictly read JWKS,
/// a key that fits the algorithm (RFC 8725 §3.1/§3.2), and an exact audience.
/// </summary>
public class InspectStrictnessTests
{
    private static string Issue(string key) => CliRunner.Run("issue", "--scope", "read:a", "--key", key).Token;

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private static string Payload() => $$"""{"iss":"{{TestTokens.Issuer}}","aud":"{{TestTokens.Audience}}","exp":4102444800,"scope":"read:a"}""";

    private static string EcToken(ECDsa key, string alg, HashAlgorithmName hash)
    {
        var input = Encode($$"""{"alg":"{{alg}}","kid":"k"}""") + "." + Encode(Payload());
        return input + "." + Base64UrlEncoder.Encode(key.SignData(Encoding.ASCII.GetBytes(input), hash));
    }

    private static string EcJwks(ECDsa key, string crv, string? alg = null)
    {
        var p = key.ExportParameters(false);
        return $$"""{"keys":[{"kty":"EC","kid":"k","crv":"{{crv}}","x":"{{Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Base64UrlEncoder.Encode(p.Q.Y)}}"{{(alg is null ? string.Empty : $",\"alg\":\"{alg}\"")}}}]}""";
    }

    [Theory]
    [InlineData("==")]
    [InlineData("=")]
    [InlineData("+")]
    public void Inspect_SignatureWithPaddingOrAForeignCharacter_IsRefusedBeforeVerifying(string appended)
    {
        using var dir = new TempDirectory();
        var (key, jwks) = TestTokens.NewKey(dir, "k");

        var result = CliRunner.Run("inspect", Issue(key) + appended, "--jwks", jwks);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("signature is not valid base64url", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_Es256TokenVerifiedByAP384Key_IsNotVerified()
    {
        using var dir = new TempDirectory();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var jwks = dir.File("p384.json");
        File.WriteAllText(jwks, EcJwks(p384, "P-384"));

        var result = CliRunner.Run("inspect", EcToken(p384, "ES256", HashAlgorithmName.SHA256), "--jwks", jwks, "--json");

        Assert.Equal(1, result.ExitCode);
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.False(root.GetProperty("verified").GetBoolean());
        Assert.Contains("P-256", root.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MatchingCurve_IsVerified()
    {
        using var dir = new TempDirectory();
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwks = dir.File("p256.json");
        File.WriteAllText(jwks, EcJwks(p256, "P-256", "ES256"));

        var result = CliRunner.Run("inspect", EcToken(p256, "ES256", HashAlgorithmName.SHA256), "--jwks", jwks, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.True(JsonDocument.Parse(result.Out).RootElement.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public void Inspect_JwksNamingKeysTwice_IsAUsageError()
    {
        using var dir = new TempDirectory();
        var (key, jwks) = TestTokens.NewKey(dir, "k");
        var (_, decoy) = TestTokens.NewKey(dir, "decoy");
        var doubled = dir.File("doubled.json");
        File.WriteAllText(doubled, File.ReadAllText(decoy).Trim().TrimEnd('}') + "," + File.ReadAllText(jwks).Trim().TrimStart('{'));

        var result = CliRunner.Run("inspect", Issue(key), "--jwks", doubled);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("twice", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_JwksPublishingAPrivateKey_IsAUsageError_WithoutPrintingIt()
    {
        using var dir = new TempDirectory();
        var (key, _) = TestTokens.NewKey(dir, "k");
        var privateJwk = File.ReadAllText(key);
        var jwks = dir.File("private.json");
        File.WriteAllText(jwks, "{\"keys\":[" + privateJwk + "]}");
        var d = JsonDocument.Parse(privateJwk).RootElement.GetProperty("d").GetString()!;

        var result = CliRunner.Run("inspect", Issue(key), "--jwks", jwks, "--verbose");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("\"d\"", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(d, result.Error + result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_AudienceDifferingByATrailingSlash_IsWrongAudience()
    {
        using var dir = new TempDirectory();
        var (key, jwks) = TestTokens.NewKey(dir, "k");

        var result = CliRunner.Run("inspect", Issue(key), "--jwks", jwks, "--audience", TestTokens.Audience + "/", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("verification failed (WrongAudience)", JsonDocument.Parse(result.Out).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
