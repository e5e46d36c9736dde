using System.Buffers;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Scopes;

/// <summary>
/// What the normalizer's fast paths promise beyond the scopes they read: no string or array for a whole value or payload,
/// pooled buffers given back (a scope seen before read as the string already kept for it: ScopeStringReuseTests). Allocations are counted on
/// the test's own thread (GC.GetAllocatedBytesForCurrentThread), so tests running alongside do not change them.
/// </summary>
public class ScopeNormalizerBufferTests
{
    private static readonly string Header = Base64UrlEncoder.Encode("""{"alg":"none"}""");

    [Fact]
    public void ReadPayloadJson_AsciiScopeString_IsParsedFromTheBytesWithNoStringForTheWholeValue()
    {
        // Scopes over ScopeStrings.MaxLength are never kept, so every read makes each of them (2 bytes a character):
        // about 2 × the value's length. A string of the whole value as well would take 2 × its length more.
        var value = string.Join(' ', Enumerable.Range(0, 16).Select(i => $"bulk:{i:D2}:" + new string('v', 192)));
        var payload = Encoding.UTF8.GetBytes($$"""{"scope":"{{value}}"}""");
        var normalizer = new ScopeNormalizer();

        var least = LeastAllocated(() => Assert.Equal(16, normalizer.ReadPayloadJson(payload).Count));

        Assert.InRange(least, 2 * value.Length - 1024, 3 * value.Length);
    }

    [Fact]
    public void ReadPayloadJson_AsciiScopeStringOverTheStackBuffer_WidenedIntoAPooledArrayGivenBack()
    {
        // Over 512 characters the value is widened into an array from ArrayPool<char>.Shared; the array this thread gave
        // back last for that size is the one rented next, so the test gives one back first and expects it again after.
        var value = string.Join(' ', Enumerable.Range(0, 8).Select(i => $"wide:{i}:" + new string('w', 90)));
        Assert.InRange(value.Length, 513, 1024);
        var payload = Encoding.UTF8.GetBytes($$"""{"scope":"{{value}}"}""");

        var (lent, next) = LendAndRentAgain(value.Length, () => Assert.Equal(8, new ScopeNormalizer().ReadPayloadJson(payload).Count));

        Assert.Equal(value, new string(lent, 0, value.Length));
        Assert.Same(lent, next);
    }

    [Fact]
    public void ReadPayloadJson_LongEscapedNameNearALongClaimType_UnescapedIntoAPooledArrayGivenBack()
    {
        // A name that is no claim type exactly is checked for a case variant; escaped, it is unescaped into a buffer,
        // from ArrayPool<char>.Shared when its bytes exceed 512. A claim type of 100 characters lets names of up to
        // 600 bytes be checked.
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Add(new string('c', 100));
        var normalizer = new ScopeNormalizer(options);
        var escapedName = string.Concat(Enumerable.Repeat("\\u0078", 90));
        var payload = Encoding.UTF8.GetBytes($$"""{"{{escapedName}}":1,"scope":"read:a"}""");

        var (lent, next) = LendAndRentAgain(escapedName.Length, () => Assert.Equal(ScopeSet.Parse("read:a"), normalizer.ReadPayloadJson(payload)));

        Assert.Equal(new string('x', 90), new string(lent, 0, 90));
        Assert.Same(lent, next);
    }

#if NET9_0_OR_GREATER
    [Fact]
    public void Read_CanonicalPayload_IsDecodedWithNoStringOrArrayOfItsOwn()
    {
        // A canonical payload is sliced from the token's text and decoded into a pooled buffer; through Base64UrlEncoder
        // it would take a string of the payload text (2 bytes a character) and an array of its bytes.
        var encoded = Base64UrlEncoder.Encode($$"""{"note":"{{new string('n', 3000)}}","scope":"read:a"}""");
        var token = new JsonWebToken(Header + "." + encoded + ".");
        var normalizer = new ScopeNormalizer();

        var least = LeastAllocated(() => Assert.Equal(ScopeSet.Parse("read:a"), normalizer.Read(token)));

        Assert.InRange(least, 0, encoded.Length / 4);
    }
#endif

    /// <summary>The fewest bytes <paramref name="read"/> allocated on this thread in five runs, after one to warm up.</summary>
    private static long LeastAllocated(Action read)
    {
        read();
        var least = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            read();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    /// <summary>Gives an array of <paramref name="length"/> back to the pool, runs <paramref name="read"/>, then rents one again.</summary>
    private static (char[] Lent, char[] Next) LendAndRentAgain(int length, Action read)
    {
        var pool = ArrayPool<char>.Shared;
        var lent = pool.Rent(length);
        pool.Return(lent);
        read();
        var next = pool.Rent(length);
        pool.Return(next);
        return (lent, next);
    }
}
