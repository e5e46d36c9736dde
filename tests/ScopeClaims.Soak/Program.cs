using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.AspNetCore;
using ScopeClaims.Tests.Shared;

// Soak: an API on Kestrel (127.0.0.1) that issues tokens, converts inbound tokens, authenticates bearer tokens with
// JwtBearer + AddScopeNormalization and authorizes them with RequireScope, and calls a partner through the JWT-bearer
// grant (partner tokens live 90 s, so the cached token is replaced every 30 s; the partner revokes every token once a
// minute, so the 401 path runs too). Workers call it without pause; every sample records the working set and the
// managed heap; once a minute the live heap is measured after a full collection.
//   dotnet run -c Release --project tests/ScopeClaims.Soak -- --minutes 10 --workers 4 --sample-seconds 5 --output artifacts/soak
var settings = Settings.Parse(args);
Directory.CreateDirectory(settings.Output);

const string InboundIssuer = "https://idp.soak.test";
const string ApiAudience = "https://api.soak.test";
var inboundKey = TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "idp-1");
var partnerTokens = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
long partnerTokenRequests = 0;

await using var partner = await LoopbackServer.StartAsync(app =>
{
    app.MapPost("/oauth2/token", async (HttpContext context) =>
    {
        Interlocked.Increment(ref partnerTokenRequests);
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || string.IsNullOrEmpty(form["assertion"]))
        {
            return Results.BadRequest(new { error = "invalid_grant" });
        }

        var token = "pt_" + Guid.NewGuid().ToString("N");
        partnerTokens[token] = Environment.TickCount64;
        return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 90 });
    });
    app.MapGet("/api/data", (HttpContext context) =>
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && partnerTokens.ContainsKey(header[7..]) ? Results.Text("data") : Results.Unauthorized();
    });
});

await using var api = await LoopbackServer.StartAsync(
    app =>
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/issue", (HttpContext context, IScopeTokenIssuerFactory issuers) =>
            Results.Text(issuers.GetIssuer("converted").Issue(ScopeSet.Parse(context.Request.Query["scopes"].ToString()), subject: "soak-user")));
        app.MapPost("/convert", async (HttpContext context, IScopeTokenConverter converter) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            try
            {
                var converted = await converter.ConvertAsync(await reader.ReadToEndAsync(), context.RequestAborted);
                return Results.Text(converted.Token);
            }
            catch (TokenConversionException ex)
            {
                return Results.BadRequest(ex.Reason.ToString());
            }
        });
        app.MapGet("/orders", () => "orders").RequireScope("read:orders", "admin");
        app.MapGet("/admin", () => "admin").RequireAllScopes("read:orders", "admin");
        app.MapGet("/partner", async (IHttpClientFactory clients) =>
        {
            using var response = await clients.CreateClient("partner").GetAsync("data");
            return Results.StatusCode((int)response.StatusCode);
        });
    },
    builder =>
    {
        var services = builder.Services;
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o => o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = InboundIssuer,
                ValidAudience = ApiAudience,
                IssuerSigningKey = inboundKey.Key,
                ValidAlgorithms = new[] { SecurityAlgorithms.RsaSha256 },
            })
            .AddScopeNormalization();
        services.AddAuthorization();

        // The grant's assertions (default profile) and the tokens the API issues and converts to ("converted").
        services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "soak-client";
            o.Audiences.Add(new Uri(partner.Address, "/oauth2/token").AbsoluteUri);
            o.SigningKeys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "client-1"));
        });
        services.AddArrayScopeTokens("converted", o =>
        {
            o.Issuer = "https://api.soak.test/issuer";
            o.Audiences.Add("https://partner.soak.test");
            o.SigningKeys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "api-1"));
        });
        services.AddScopeTokenConverter(o =>
        {
            o.ProfileName = "converted";
            var inbound = new InboundIssuerOptions { Issuer = InboundIssuer };
            inbound.Audiences.Add(ApiAudience);
            inbound.Algorithms.Add(SecurityAlgorithms.RsaSha256);
            inbound.SigningKeys.Add(inboundKey.Key);
            o.Issuers.Add(inbound);
        });
        services.AddHttpClient("partner", c => c.BaseAddress = new Uri(partner.Address, "/api/")).AddJwtBearerGrant(o =>
        {
            o.TokenEndpoint = new Uri(partner.Address, "/oauth2/token");
            o.Scopes = ScopeSet.Parse("read:data");
        });
    });

// Inbound tokens in the shapes issuers use, signed once per shape and minute (they are re-signed as they near expiry).
var shapes = new[]
{
    "\"scope\":\"read:orders write:orders\"",
    "\"scp\":[\"read:orders\",\"write:orders\"]",
    "\"scope\":[\"read:orders\"]",
    "\"scp\":\"read:orders\"",
};
var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
string[] Inbound()
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    return shapes.Select(s => handler.CreateToken(
        string.Create(CultureInfo.InvariantCulture, $$"""{"iss":"{{InboundIssuer}}","aud":"{{ApiAudience}}","sub":"user-{{now}}","iat":{{now}},"nbf":{{now}},"exp":{{now + 600}},"jti":"{{Guid.NewGuid():N}}",{{s}}}"""),
        inboundKey.Credentials)).ToArray();
}

var inboundTokens = Inbound();
using var client = new HttpClient { BaseAddress = api.Address };
var counts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
var unexpected = new ConcurrentQueue<string>();
var clock = Stopwatch.StartNew();
var duration = TimeSpan.FromMinutes(settings.Minutes);
using var stop = new CancellationTokenSource(duration);

async Task Expect(string operation, HttpRequestMessage request, HttpStatusCode expected)
{
    try
    {
        using var response = await client.SendAsync(request, stop.Token);
        counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
        if (response.StatusCode != expected && unexpected.Count < 100)
        {
            unexpected.Enqueue($"{clock.Elapsed:mm\\:ss} {operation}: {(int)response.StatusCode}, expected {(int)expected}");
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
    }
    finally
    {
        request.Dispose();
    }
}

HttpRequestMessage Bearer(HttpMethod method, string path, string token, string? body = null)
{
    var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.ASCII) };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return request;
}

async Task Worker(int id)
{
    for (var i = id; !stop.IsCancellationRequested; i++)
    {
        var token = inboundTokens[i % inboundTokens.Length];
        var task = (i % 5) switch
        {
            0 => Expect("issue", new HttpRequestMessage(HttpMethod.Post, $"issue?scopes=read:orders%20w{i % 50}"), HttpStatusCode.OK),
            1 => Expect("convert", new HttpRequestMessage(HttpMethod.Post, "convert") { Content = new StringContent(token, Encoding.ASCII) }, HttpStatusCode.OK),
            2 => Expect("authorize", Bearer(HttpMethod.Get, "orders", token), HttpStatusCode.OK),
            3 => Expect("forbid", Bearer(HttpMethod.Get, "admin", token), HttpStatusCode.Forbidden),
            _ => Expect("partner", new HttpRequestMessage(HttpMethod.Get, "partner"), HttpStatusCode.OK),
        };
        await task;
    }
}

var csv = new StringBuilder("seconds,working_set_mb,heap_mb,gc_heap_size_mb,live_heap_mb,gen0,gen1,gen2,requests,partner_token_requests,unexpected,gc_committed_mb,rss_anon_mb,rss_file_mb,threads,threadpool_threads\n");
var samples = new List<(double Seconds, double WorkingSet, double Heap, double? Live)>();
async Task Sampler()
{
    var process = Process.GetCurrentProcess();
    var nextLive = TimeSpan.Zero;
    var nextRevocation = TimeSpan.FromMinutes(1);
    var nextResign = TimeSpan.FromMinutes(1);
    while (!stop.IsCancellationRequested)
    {
        double? live = null;
        if (clock.Elapsed >= nextLive)
        {
            live = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
            nextLive += TimeSpan.FromMinutes(1);
        }

        if (clock.Elapsed >= nextRevocation)
        {
            partnerTokens.Clear();   // the partner revokes every token: the next partner calls meet a 401 and retry
            nextRevocation += TimeSpan.FromMinutes(1);
        }

        if (clock.Elapsed >= nextResign)
        {
            inboundTokens = Inbound();
            nextResign += TimeSpan.FromMinutes(1);
        }

        process.Refresh();
        var workingSet = process.WorkingSet64 / 1048576.0;
        var heap = GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
        var requests = counts.Values.Sum();
        samples.Add((clock.Elapsed.TotalSeconds, workingSet, heap, live));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{clock.Elapsed.TotalSeconds:0},{workingSet:0.0},{heap:0.0},{GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0.0},{(live is { } l ? l.ToString("0.0", CultureInfo.InvariantCulture) : "")},{GC.CollectionCount(0)},{GC.CollectionCount(1)},{GC.CollectionCount(2)},{requests},{Interlocked.Read(ref partnerTokenRequests)},{unexpected.Count},{GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:0.0},{Rss("RssAnon:")},{Rss("RssFile:")},{process.Threads.Count},{ThreadPool.ThreadCount}");
        csv.AppendLine(line);
        Console.WriteLine(line);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.SampleSeconds), stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

Console.WriteLine($"soak: {settings.Minutes} min, {settings.Workers} workers, a sample every {settings.SampleSeconds} s, warm-up {settings.WarmupMinutes} min; API {api.Address}, partner {partner.Address}");
Console.Write(csv);
await Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(Worker).Append(Sampler()));
await File.WriteAllTextAsync(Path.Combine(settings.Output, "curve.csv"), csv.ToString());

// After warm-up: the first and last live heap, the range of the working set, and the slopes (least squares, MB/min).
var warm = samples.Where(s => s.Seconds >= settings.WarmupMinutes * 60).ToList();
var live = warm.Where(s => s.Live is not null).Select(s => (s.Seconds, Value: s.Live!.Value)).ToList();
static double Slope(IReadOnlyList<(double Seconds, double Value)> points)
{
    if (points.Count < 2)
    {
        return double.NaN;
    }

    var mx = points.Average(p => p.Seconds / 60);
    var my = points.Average(p => p.Value);
    var num = points.Sum(p => ((p.Seconds / 60) - mx) * (p.Value - my));
    var den = points.Sum(p => Math.Pow((p.Seconds / 60) - mx, 2));
    return den == 0 ? double.NaN : num / den;
}

var summary = new StringBuilder();
summary.AppendLine(CultureInfo.InvariantCulture, $"duration: {clock.Elapsed.TotalMinutes:0.0} min, workers: {settings.Workers}, requests: {counts.Values.Sum():N0} ({string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value:N0}"))}), partner token requests: {Interlocked.Read(ref partnerTokenRequests)}");
summary.AppendLine(CultureInfo.InvariantCulture, $"unexpected answers: {unexpected.Count}{(unexpected.IsEmpty ? "" : ": " + string.Join("; ", unexpected.Take(10)))}");
if (warm.Count > 1)
{
    summary.AppendLine(CultureInfo.InvariantCulture, $"after warm-up ({settings.WarmupMinutes} min): working set {warm.Min(s => s.WorkingSet):0.0}-{warm.Max(s => s.WorkingSet):0.0} MB (first {warm[0].WorkingSet:0.0}, last {warm[^1].WorkingSet:0.0}, slope {Slope(warm.Select(s => (s.Seconds, s.WorkingSet)).ToList()):0.00} MB/min); managed heap {warm.Min(s => s.Heap):0.0}-{warm.Max(s => s.Heap):0.0} MB (slope {Slope(warm.Select(s => (s.Seconds, s.Heap)).ToList()):0.00} MB/min)");
}

if (live.Count > 0)
{
    summary.AppendLine(CultureInfo.InvariantCulture, $"live heap after a full collection, once a minute after warm-up: {string.Join(", ", live.Select(l => l.Value.ToString("0.0", CultureInfo.InvariantCulture)))} MB (slope {Slope(live):0.00} MB/min)");
}

Console.Write(summary);
await File.WriteAllTextAsync(Path.Combine(settings.Output, "summary.txt"), summary.ToString());
return unexpected.IsEmpty ? 0 : 1;

// Note: where the working set lives, on Linux: anonymous memory (the GC heap, native allocations, thread stacks) or
// mapped files (the runtime's and the app's assemblies, OpenSSL); blank elsewhere.
static string Rss(string field)
{
    const string Status = "/proc/self/status";
    if (!File.Exists(Status))
    {
        return "";
    }

    var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
    return line is null ? "" : (long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}

internal sealed record Settings(double Minutes, int Workers, double SampleSeconds, double WarmupMinutes, string Output)
{
    public static Settings Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        return new Settings(
            double.Parse(Value("--minutes", "10"), CultureInfo.InvariantCulture),
            int.Parse(Value("--workers", "4"), CultureInfo.InvariantCulture),
            double.Parse(Value("--sample-seconds", "5"), CultureInfo.InvariantCulture),
            double.Parse(Value("--warmup-minutes", "2"), CultureInfo.InvariantCulture),
            Value("--output", "artifacts/soak"));
    }
}
