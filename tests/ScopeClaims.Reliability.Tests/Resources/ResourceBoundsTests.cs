using System.Diagnostics;
using System.Text;
using ScopeClaims;
using ScopeClaims.Tests.Conversion;
using Xunit.Abstractions;

namespace ScopeClaims.Reliability.Tests.Resources;

/// <summary>
/// Memory stays bounded under many maximum-size conversions, and oversized input is refused before anything is
/// allocated in proportion to it. Peaks are reported, bounds are generous, nothing is timed.
/// </summary>
[Collection(nameof(ResourceBoundsTests))] // Note: measurements of process memory must not overlap with other tests of this class.
public class ResourceBoundsTests(ITestOutputHelper output)
{
    private const int TenMegabytes = 10 * 1024 * 1024;
    private const long AllocationBound = 64 * 1024;

    [Fact]
    public async Task Convert_500ParallelMaximumSizeTokens_AllConvert_MemoryBounded()
    {
        var converter = Converter();
        var tokens = Enumerable.Range(0, 500).Select(MaximumSizeToken).ToArray();
        Assert.All(tokens, t => Assert.InRange(t.Length, ScopeTokenConverterOptions.DefaultMaxTokenLength - 512, ScopeTokenConverterOptions.DefaultMaxTokenLength));
        await converter.ConvertAsync(tokens[0]);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(1);
            }
        });

        using var start = new ManualResetEventSlim();
        var conversions = tokens.Select(token => Task.Run(async () =>
        {
            start.Wait();
            return await converter.ConvertAsync(token);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(conversions);

        await sampling.CancelAsync();
        await sampler;
        process.Refresh();
        var growth = peak - before;
        output.WriteLine($"500 parallel conversions of {tokens[0].Length}-character tokens ({ScopeSet.Parse(ScopesOf(0)).Count} scopes each): managed heap {before / 1024 / 1024} MB before, peak {peak / 1024 / 1024} MB (growth {growth / 1024 / 1024} MB); process peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB");

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(ScopeSet.Parse(ScopesOf(i)), results[i].Scopes);
        }

        Assert.InRange(growth, long.MinValue, 500L * 1024 * 1024);
    }

    [Fact]
    public async Task Convert_TenMegabyteToken_IsRefusedWithoutAllocatingInProportion()
    {
        var converter = Converter();
        var huge = new string('a', TenMegabytes);
        await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(new string('a', ScopeTokenConverterOptions.DefaultMaxTokenLength + 1)));

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(huge));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        output.WriteLine($"ConvertAsync(10 MB string): {ex.Reason}, {allocated} bytes allocated");
        Assert.Equal(TokenConversionFailure.Oversized, ex.Reason);
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public void Parse_TenMegabyteString_IsRefusedWithoutAllocatingInProportion()
    {
        var huge = string.Join(' ', Enumerable.Repeat("read:a", TenMegabytes / 7));
        Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(huge[..(ScopeLimits.DefaultMaxTotalLength + 1)]));

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(huge));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        output.WriteLine($"ScopeSet.Parse(10 MB string): {ex.Reason}, {allocated} bytes allocated");
        Assert.Equal(ScopeErrorReason.TooLong, ex.Reason);
        Assert.InRange(allocated, 0, AllocationBound);
    }

    public static TheoryData<string> HugePayloads() => new() { "huge-scope-string", "huge-scope-array", "huge-other-claim", "deep-nesting" };

    [Theory]
    [MemberData(nameof(HugePayloads))]
    public void ReadPayloadJson_TenMegabyteUtf8Payload_AllocatesFarLessThanItsSize(string shape)
    {
        var payload = HugePayload(shape);
        Record(() => ScopeNormalizer.Default.ReadPayloadJson(HugePayload(shape).AsSpan(0, 4096)));

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var outcome = Record(() => ScopeNormalizer.Default.ReadPayloadJson(payload));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        output.WriteLine($"ReadPayloadJson(UTF-8 span, {payload.Length} bytes, {shape}): {outcome}, {allocated} bytes allocated");
        Assert.InRange(allocated, 0, AllocationBound);
        if (shape != "huge-other-claim")
        {
            Assert.StartsWith(nameof(ScopeFormatException), outcome, StringComparison.Ordinal);
        }
    }

    private static string Record(Func<ScopeSet> read)
    {
        try
        {
            return $"read {read().Count} scopes";
        }
        catch (ScopeFormatException ex)
        {
            return $"{nameof(ScopeFormatException)} ({ex.Reason})";
        }
    }

    private static byte[] HugePayload(string shape)
    {
        var builder = new StringBuilder(TenMegabytes + 64);
        switch (shape)
        {
            case "huge-scope-string":
                builder.Append("{\"scope\":\"").Append('a', TenMegabytes).Append("\"}");
                break;
            case "huge-scope-array":
                builder.Append("{\"scp\":[");
                for (var i = 0; builder.Length < TenMegabytes; i++)
                {
                    builder.Append(i == 0 ? "\"s" : ",\"s").Append(i).Append('"');
                }

                builder.Append("]}");
                break;
            case "huge-other-claim":
                builder.Append("{\"blob\":\"").Append('x', TenMegabytes).Append("\",\"scope\":\"read:a\"}");
                break;
            case "deep-nesting":
                builder.Append("{\"x\":").Append('[', TenMegabytes / 2).Append(']', TenMegabytes / 2).Append('}');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, null);
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static ScopeTokenConverter Converter()
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        var ours = new ScopeTokenOptions { Issuer = "https://ours.test", SigningKeys = new SigningKeySet(TokenSigningKey.Generate("ES256", "ours")) };
        ours.Audiences.Add("https://partner.test");
        return new ScopeTokenConverter(options, new ScopeTokenIssuer(ours));
    }

    // About 185 scopes of ~30 characters: a token just under ScopeTokenConverterOptions.MaxTokenLength (8 KB).
    private static string ScopesOf(int token) =>
        string.Join(' ', Enumerable.Range(0, 185).Select(n => $"api://resource-{token:D3}/scope.{n:D3}"));

    private static string MaximumSizeToken(int token) => SourceTokens.Build(ScopesOf(token));
}
