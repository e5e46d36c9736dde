using System.IdentityModel.Tokens.Jwt;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Scopes;

/// <summary>
/// How a token's payload text reaches the JSON reader: sliced from the token and decoded on the stack when it is
/// canonical base64url, through Base64UrlEncoder otherwise; every spelling a token object accepts reads the same.
/// </summary>
public class ScopeNormalizerEncodedPayloadTests
{
    private static readonly string Header = Base64UrlEncoder.Encode("""{"alg":"none"}""");

    [Theory]
    [InlineData("""{"scope":"read:a write:b"}""", "read:a write:b")]
    [InlineData("""{"scope":"ab"}""", "ab")]
    [InlineData("""{"scp":["read:a","write:b"]}""", "read:a write:b")]
    public void Read_PayloadSpelledAsATokenObjectAcceptsIt_ReadsTheSameScopes(string payloadJson, string expected)
    {
        var canonical = Base64UrlEncoder.Encode(payloadJson);
        var padded = canonical + new string('=', (4 - (canonical.Length % 4)) % 4);
        var spaced = canonical.Insert(4, " ");

        // Note: a spelling Microsoft.IdentityModel refuses never reaches the normalizer as a token; the canonical one must be
        // accepted by both token types.
        Assert.Equal(ScopeSet.Parse(expected), ScopeNormalizer.Default.Read(new JsonWebToken(Header + "." + canonical + ".")));
        Assert.Equal(ScopeSet.Parse(expected), ScopeNormalizer.Default.Read(new JwtSecurityToken(Header + "." + canonical + ".")));
        foreach (var payload in new[] { padded, spaced })
        {
            if (Made(text => new JsonWebToken(text), Header + "." + payload + ".") is { } jsonWebToken)
            {
                Assert.Equal(ScopeSet.Parse(expected), ScopeNormalizer.Default.Read(jsonWebToken));
            }

            if (Made(text => new JwtSecurityToken(text), Header + "." + payload + ".") is { } jwtSecurityToken)
            {
                Assert.Equal(ScopeSet.Parse(expected), ScopeNormalizer.Default.Read(jwtSecurityToken));
            }
        }
    }

    [Fact]
    public void Read_PayloadLargerThanTheStackBuffer_IsRead()
    {
        var filler = new string('x', 3000);
        var token = new JsonWebToken(Header + "." + Base64UrlEncoder.Encode($$"""{"note":"{{filler}}","scope":"read:a write:b"}""") + ".");

        Assert.Equal(ScopeSet.Parse("read:a write:b"), ScopeNormalizer.Default.Read(token));
    }

    [Fact]
    public void Read_PayloadOverMaxPayloadLength_IsRefusedAsTooLong()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { MaxPayloadLength = 64 });
        var token = new JsonWebToken(Header + "." + Base64UrlEncoder.Encode($$"""{"note":"{{new string('x', 100)}}","scope":"read:a"}""") + ".");

        var failure = Assert.Throws<ScopeFormatException>(() => normalizer.Read(token));

        Assert.Equal(ScopeErrorReason.TooLong, failure.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1500)]
    [InlineData(1501)]
    [InlineData(1502)]
    public void Read_PayloadOfExactlyMaxPayloadLength_IsReadAndOneByteOverIsRefusedWithItsLength(int padding)
    {
        // Every length modulo 3 (the three base64url tails): the decoded length is exact before decoding.
        var json = $$"""{"scope":"read:a","n":"{{new string('x', padding)}}"}""";
        var token = new JsonWebToken(Header + "." + Base64UrlEncoder.Encode(json) + ".");

        Assert.Equal(ScopeSet.Parse("read:a"), new ScopeNormalizer(new ScopeNormalizerOptions { MaxPayloadLength = json.Length }).Read(token));
        var failure = Assert.Throws<ScopeFormatException>(() => new ScopeNormalizer(new ScopeNormalizerOptions { MaxPayloadLength = json.Length - 1 }).Read(token));
        Assert.Equal(ScopeErrorReason.TooLong, failure.Reason);
        Assert.Equal($"The token payload is {json.Length} long; the limit is {json.Length - 1} (ScopeNormalizerOptions.MaxPayloadLength).", failure.Message);
    }

    [Fact]
    public void Read_EncryptedTokenNotDecrypted_HasNoPayloadToRead()
    {
        // A JWE has no payload of its own: its parts are the encrypted key, the IV, the ciphertext and the tag. Read
        // before decryption, it has no scopes to give; none of its parts is taken for a payload.
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var jwe = new JsonWebTokenHandler().EncryptToken(Header + "." + Base64UrlEncoder.Encode("""{"scope":"read:a"}""") + ".", new EncryptingCredentials(new RsaSecurityKey(rsa.ExportParameters(false)), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes128CbcHmacSha256));
        var token = new JsonWebToken(jwe);

        var failure = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(token));

        Assert.True(token.IsEncrypted);
        Assert.Equal(ScopeErrorReason.MalformedJson, failure.Reason);
        Assert.Equal("The token payload is not well-formed JSON or is nested too deeply.", failure.Message);
    }

#if NET9_0_OR_GREATER
    [Fact]
    public void Read_PayloadDecodedIntoAPooledBuffer_GoesBackToThePoolCleared()
    {
        // A payload over the stack buffer is decoded into an array from ArrayPool<byte>.Shared. The array this thread
        // gave back last for that size is the one rented next, so it is filled here first: the normalizer must return
        // it, and cleared (a decrypted token's payload must never reach the pool's next renter).
        var encoded = Base64UrlEncoder.Encode($$"""{"note":"{{new string('x', 3000)}}","scope":"read:a"}""");
        var size = System.Buffers.Text.Base64Url.GetMaxDecodedLength(encoded.Length);
        var pooled = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        pooled.AsSpan().Fill(0x55);
        System.Buffers.ArrayPool<byte>.Shared.Return(pooled);

        Assert.Equal(ScopeSet.Parse("read:a"), ScopeNormalizer.Default.Read(new JsonWebToken(Header + "." + encoded + ".")));

        Assert.True(pooled.AsSpan().IndexOfAnyExcept((byte)0) < 0, "the array went back to the pool holding data");
    }
#endif

    /// <summary>The token made from <paramref name="text"/>, or null when the token type refuses that spelling.</summary>
    private static T? Made<T>(Func<string, T> make, string text)
        where T : class
    {
        try
        {
            return make(text);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
