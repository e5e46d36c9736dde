using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using static ScopeClaims.Testing.Tests.Internal.RawJose;

namespace ScopeClaims.Testing.Tests.Differential;

/// <summary>
/// The rule the kit is built to: when <see cref="ScopeTokenAssertions.IsValidAgainstJwks"/> passes a token, a strict
/// validator on another stack agrees. A generated set of good and bad tokens and key sets (fixed seed, made inside the
/// test body so test identities never depend on generated data) is checked by the kit and by
/// <see cref="StrictReferenceValidator"/>, written from scratch.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private const int Seed = 20_260_101;
    private const int VariantsPerMutation = 4;
    private const int GoodBaseCases = 60;
    private const long T = 1_893_456_000; // 2030-01-01T00:00:00Z

    private static readonly (string Alg, Func<object> Key)[] s_signers =
    [
        ("RS256", () => Rsa2048), ("RS384", () => Rsa2048), ("RS512", () => Rsa2048),
        ("PS256", () => Rsa2048), ("PS384", () => Rsa2048), ("PS512", () => Rsa2048),
        ("ES256", () => P256), ("ES384", () => P384), ("ES512", () => P521),
    ];

    private enum Expect
    {
        /// <summary>Both validators pass it.</summary>
        Good,

        /// <summary>Both refuse it.</summary>
        Bad,

        /// <summary>The reference passes it and the kit refuses it, on purpose (documented in the README).</summary>
        KitStricter,
    }

    [Fact]
    public void IsValidAgainstJwks_GeneratedTokensAndKeySets_NeverPassesWhatAStrictValidatorRefuses()
    {
        var random = new Random(Seed);
        var cases = new List<(string Name, Expect Expect, Spec Spec)>();
        for (var i = 0; i < GoodBaseCases; i++)
        {
            cases.Add(("good/base", Expect.Good, Spec.Random(random)));
        }

        foreach (var (name, expect, mutate) in Mutations())
        {
            for (var i = 0; i < VariantsPerMutation; i++)
            {
                var spec = Spec.Random(random);
                mutate(spec, random);
                cases.Add((name, expect, spec));
            }
        }

        int bothPass = 0, bothRefuse = 0, kitStricter = 0;
        var falsePasses = new List<string>();
        var wrongReference = new List<string>();
        var unexpectedKitRefusals = new List<string>();
        var perCategory = new SortedDictionary<string, (int Cases, int KitRefused, int StrictRefused)>(StringComparer.Ordinal);
        foreach (var (name, expect, spec) in cases)
        {
            var (token, jwks) = spec.Build();
            var strict = StrictReferenceValidator.Validate(token, jwks, spec.Issuer, spec.Audience, spec.Now);
            var kit = KitVerdict(token, jwks, spec);

            var category = name[..name.IndexOf('/', StringComparison.Ordinal)];
            var counts = perCategory.GetValueOrDefault(category);
            perCategory[category] = (counts.Cases + 1, counts.KitRefused + (kit is null ? 0 : 1), counts.StrictRefused + (strict is null ? 0 : 1));

            if (kit is null && strict is not null)
            {
                falsePasses.Add($"{name}: the kit passes it, the strict validator refuses it ({strict})");
            }

            if ((strict is null) != (expect != Expect.Bad))
            {
                wrongReference.Add($"{name}: expected {expect}, the strict validator says {strict ?? "valid"}");
            }

            if (kit is not null && expect == Expect.Good)
            {
                unexpectedKitRefusals.Add($"{name}: {kit}");
            }

            (bothPass, bothRefuse, kitStricter) = (kit, strict) switch
            {
                (null, null) => (bothPass + 1, bothRefuse, kitStricter),
                (not null, not null) => (bothPass, bothRefuse + 1, kitStricter),
                (not null, null) => (bothPass, bothRefuse, kitStricter + 1),
                _ => (bothPass, bothRefuse, kitStricter),
            };
        }

        output.WriteLine($"{cases.Count} cases (seed {Seed}): both pass {bothPass}, both refuse {bothRefuse}, only the kit refuses {kitStricter}, only the strict validator refuses {falsePasses.Count}.");
        foreach (var (category, counts) in perCategory)
        {
            output.WriteLine($"  {category}: {counts.Cases} cases, kit refused {counts.KitRefused}, strict refused {counts.StrictRefused}");
        }

        Assert.Empty(falsePasses);
        Assert.Empty(wrongReference);
        Assert.Empty(unexpectedKitRefusals);
        Assert.Equal(GoodBaseCases + (Mutations().Count(m => m.Expect == Expect.Good) * VariantsPerMutation), bothPass);
        Assert.Equal(Mutations().Count(m => m.Expect == Expect.KitStricter) * VariantsPerMutation, kitStricter);
    }

    private static string? KitVerdict(string token, string jwks, Spec spec)
    {
        try
        {
            ScopeTokenAssert.That(token).IsValidAgainstJwks(jwks, spec.Issuer, spec.Audience, new ManualTimeProvider(spec.Now));
            return null;
        }
        catch (ScopeTokenAssertionException ex)
        {
            return ex.Message;
        }
        catch (MalformedTokenException ex)
        {
            return ex.Message;
        }
    }

    private static IEnumerable<(string Name, Expect Expect, Action<Spec, Random> Mutate)> Mutations()
    {
        // Good shapes of the items below.
        yield return ("good/aud-array-naming-the-audience", Expect.Good, (s, _) => { s.Audience = "https://api.test"; s.SetPayload("aud", "[\"https://other.test\",\"https://api.test\"]"); });
        yield return ("good/exp-a-fraction-ahead", Expect.Good, (s, _) => s.SetPayload("exp", Num(s.NowSeconds + 0.3m)));
        yield return ("good/nbf-in-the-previous-second", Expect.Good, (s, _) => s.SetPayload("nbf", Num(decimal.Floor(s.NowSeconds) - 0.5m)));
        yield return ("good/nbf-the-current-whole-second", Expect.Good, (s, _) => s.SetPayload("nbf", Num(decimal.Floor(s.NowSeconds))));
        yield return ("good/jwk-extra-members", Expect.Good, (s, _) => { s.SigningJwk["ext"] = new JsonObject { ["a"] = 1 }; s.ExtraRoot = ",\"note\":\"x\""; });
        yield return ("good/x5c-of-the-same-key", Expect.Good, (s, _) => s.SigningJwk["x5c"] = new JsonArray(Certificate((AsymmetricAlgorithm)s.Key)));
        yield return ("good/other-key-types-in-the-set", Expect.Good, (s, _) => s.Keys.Insert(0, new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["x"] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }));
        yield return ("good/use-sig-and-key-ops-verify", Expect.Good, (s, _) => { s.SigningJwk["use"] = "sig"; s.SigningJwk["key_ops"] = new JsonArray("verify"); });
        yield return ("good/no-kid-in-token", Expect.Good, (s, _) => s.RemoveHeader("kid"));
        yield return ("good/typ", Expect.Good, (s, _) => s.SetHeader("typ", "\"at+jwt\""));
        yield return ("good/fractional-times", Expect.Good, (s, _) => { s.SetPayload("iat", Num(s.NowSeconds - 60.123456m)); s.SetPayload("nbf", Num(s.NowSeconds - 60.5m)); s.SetPayload("exp", Num(s.NowSeconds + 0.0000001m)); });

        // Refused by the kit on purpose, accepted by the RFC-minimal reference.
        yield return ("stricter/nbf-earlier-in-the-current-second", Expect.KitStricter, (s, _) => { s.NowSeconds = T + 0.9m; s.SetPayload("iat", Num(T - 1)); s.SetPayload("nbf", Num(T + 0.4m)); });
        yield return ("stricter/iat-in-the-future", Expect.KitStricter, (s, _) => s.SetPayload("iat", Num(s.NowSeconds + 10)));
        yield return ("stricter/exp-after-year-9999", Expect.KitStricter, (s, _) => s.SetPayload("exp", "1e20"));
        yield return ("stricter/x5t-of-another-certificate", Expect.KitStricter, (s, _) =>
        {
            s.SigningJwk["x5c"] = new JsonArray(Certificate((AsymmetricAlgorithm)s.Key));
            s.SigningJwk["x5t#S256"] = B64(SHA256.HashData(Encoding.UTF8.GetBytes("another certificate")));
        });

        // Header.
        yield return ("alg/none", Expect.Bad, (s, _) => { s.SetHeader("alg", "\"none\""); s.Unsigned = true; });
        yield return ("alg/missing", Expect.Bad, (s, _) => s.RemoveHeader("alg"));
        yield return ("alg/lower-case", Expect.Bad, (s, _) => s.SetHeader("alg", "\"" + s.Alg.ToLowerInvariant() + "\""));
        yield return ("alg/number", Expect.Bad, (s, _) => s.SetHeader("alg", "256"));
        yield return ("alg/es256-signed-on-p384", Expect.Bad, (s, _) => s.UseKey("ES256", P384));
        yield return ("alg/es384-signed-on-p256", Expect.Bad, (s, _) => s.UseKey("ES384", P256));
        yield return ("alg/es512-signed-on-p384", Expect.Bad, (s, _) => s.UseKey("ES512", P384));
        yield return ("alg/es256-signed-on-p521", Expect.Bad, (s, _) => s.UseKey("ES256", P521));
        yield return ("alg/jwk-rs256-verifying-ps256", Expect.Bad, (s, _) => { s.UseKey("PS256", Rsa2048); s.SigningJwk["alg"] = "RS256"; });
        yield return ("alg/jwk-rs256-verifying-rs384", Expect.Bad, (s, _) => { s.UseKey("RS384", Rsa2048); s.SigningJwk["alg"] = "RS256"; });
        yield return ("alg/jwk-es256-verifying-es384", Expect.Bad, (s, _) => { s.UseKey("ES384", P384); s.SigningJwk["alg"] = "ES256"; });
        yield return ("alg/rsa-1024", Expect.Bad, (s, r) => s.UseKey(r.Next(2) == 0 ? "RS256" : "PS256", Rsa1024));
        yield return ("alg/hs256-with-the-public-key-as-secret", Expect.Bad, (s, _) =>
        {
            s.UseKey("RS256", Rsa2048);
            s.SetHeader("alg", "\"HS256\"");
            s.SignAs = ("HS256", Encoding.UTF8.GetBytes(s.SigningJwk.ToJsonString()));
        });
        yield return ("dup/header-alg-twice", Expect.Bad, (s, _) => s.Header.Insert(0, ("alg", "\"none\"")));
        yield return ("dup/header-kid-twice", Expect.Bad, (s, _) => { s.SetHeader("kid", "\"k1\""); s.Header.Add(("kid", "\"k1\"")); });
        yield return ("dup/header-nested", Expect.Bad, (s, _) => s.SetHeader("jwk", "{\"kty\":\"EC\",\"kty\":\"RSA\"}"));
        yield return ("header/crit", Expect.Bad, (s, _) => { s.SetHeader("crit", "[\"exp\"]"); s.SetHeader("exp", "1"); });
        yield return ("header/kid-number", Expect.Bad, (s, _) => s.SetHeader("kid", "1"));
        yield return ("header/kid-not-in-set-kidless-key", Expect.Bad, (s, _) => { s.SetHeader("kid", "\"elsewhere\""); s.SigningJwk.Remove("kid"); });
        yield return ("header/kid-other-case", Expect.Bad, (s, _) => s.SetHeader("kid", "\"K1\""));
        yield return ("header/bom", Expect.Bad, (s, _) => s.HeaderPrefix = "\uFEFF");
        yield return ("header/lone-surrogate", Expect.Bad, (s, _) => s.SetHeader("typ", "\"\\uD800\""));

        // Payload.
        yield return ("time/exp-string", Expect.Bad, (s, _) => s.SetPayload("exp", "\"" + Num(s.NowSeconds + 300) + "\""));
        yield return ("time/nbf-string", Expect.Bad, (s, _) => s.SetPayload("nbf", "\"" + Num(T - 60) + "\""));
        yield return ("time/iat-string", Expect.Bad, (s, _) => s.SetPayload("iat", "\"" + Num(T - 60) + "\""));
        yield return ("time/exp-boolean", Expect.Bad, (s, _) => s.SetPayload("exp", "true"));
        yield return ("time/exp-null", Expect.Bad, (s, _) => s.SetPayload("exp", "null"));
        yield return ("time/nbf-null", Expect.Bad, (s, _) => s.SetPayload("nbf", "null"));
        yield return ("time/iat-object", Expect.Bad, (s, _) => s.SetPayload("iat", "{}"));
        yield return ("time/exp-missing", Expect.Bad, (s, _) => s.RemovePayload("exp"));
        yield return ("time/exp-a-fraction-past", Expect.Bad, (s, _) => { s.NowSeconds = T + 0.7m; s.SetPayload("exp", Num(T + 0.4m)); });
        yield return ("time/exp-equal-to-now", Expect.Bad, (s, _) => s.SetPayload("exp", Num(s.NowSeconds)));
        yield return ("time/exp-past", Expect.Bad, (s, r) => s.SetPayload("exp", Num(s.NowSeconds - r.Next(1, 100_000))));
        yield return ("time/exp-1e400", Expect.Bad, (s, _) => s.SetPayload("exp", "1e400"));
        yield return ("time/nbf-half-a-second-ahead", Expect.Bad, (s, _) => s.SetPayload("nbf", Num(s.NowSeconds + 0.5m)));
        yield return ("time/nbf-a-tick-ahead", Expect.Bad, (s, _) => s.SetPayload("nbf", Num(s.NowSeconds + 0.0000001m)));
        yield return ("time/nbf-a-picosecond-ahead", Expect.Bad, (s, _) => s.SetPayload("nbf", Num(s.NowSeconds + 0.000000000001m)));
        yield return ("time/nbf-not-before-exp", Expect.Bad, (s, _) => { s.SetPayload("nbf", Num(s.NowSeconds - 1)); s.SetPayload("exp", Num(s.NowSeconds - 1)); });
        yield return ("dup/exp-twice-expired-first", Expect.Bad, (s, _) => s.Payload.Insert(0, ("exp", Num(T - 1000))));
        yield return ("dup/exp-twice-expired-last", Expect.Bad, (s, _) => s.Payload.Add(("exp", Num(T - 1000))));
        yield return ("dup/payload-nested", Expect.Bad, (s, _) => s.SetPayload("cnf", "{\"jkt\":\"a\",\"jk\\u0074\":\"b\"}"));
        yield return ("aud/trailing-slash-in-token", Expect.Bad, (s, _) => { s.Audience = "https://api.test"; s.SetPayload("aud", "\"https://api.test/\""); });
        yield return ("aud/trailing-slash-expected", Expect.Bad, (s, _) => { s.Audience = "https://api.test/"; s.SetPayload("aud", "\"https://api.test\""); });
        yield return ("aud/null-member", Expect.Bad, (s, r) => { s.Audience = r.Next(2) == 0 ? "https://api.test" : null; s.SetPayload("aud", "[null,\"https://api.test\"]"); });
        yield return ("aud/number-member", Expect.Bad, (s, r) => { s.Audience = r.Next(2) == 0 ? "https://api.test" : null; s.SetPayload("aud", "[1,\"https://api.test\"]"); });
        yield return ("aud/object", Expect.Bad, (s, _) => s.SetPayload("aud", "{\"https://api.test\":true}"));
        yield return ("aud/other-case", Expect.Bad, (s, _) => { s.Audience = "https://api.test"; s.SetPayload("aud", "\"https://API.test\""); });
        yield return ("aud/missing", Expect.Bad, (s, _) => { s.Audience = "https://api.test"; s.RemovePayload("aud"); });
        yield return ("iss/trailing-slash", Expect.Bad, (s, _) => { s.Issuer = "https://issuer.test"; s.SetPayload("iss", "\"https://issuer.test/\""); });
        yield return ("iss/other", Expect.Bad, (s, _) => s.Issuer = "https://other-issuer.test");
        yield return ("iss/number", Expect.Bad, (s, _) => s.SetPayload("iss", "42"));
        yield return ("claims/sub-number", Expect.Bad, (s, _) => s.SetPayload("sub", "7"));
        yield return ("claims/jti-array", Expect.Bad, (s, _) => s.SetPayload("jti", "[\"a\"]"));
        yield return ("claims/lone-surrogate", Expect.Bad, (s, _) => s.SetPayload("note", "\"\\uDC00\""));

        // Signature.
        yield return ("sig/tampered", Expect.Bad, (s, r) => s.Tamper = t => FlipSignatureByte(t, r.Next(1000)));
        yield return ("sig/non-canonical-base64url", Expect.Bad, (s, _) => s.Tamper = NonCanonical);
        yield return ("sig/empty", Expect.Bad, (s, _) => s.Tamper = t => t[..(t.LastIndexOf('.') + 1)]);
        yield return ("sig/padded", Expect.Bad, (s, _) => s.Tamper = t => t + "=");
        yield return ("sig/by-another-key-same-kid", Expect.Bad, (s, _) => s.SignAs = (s.Alg, s.Alg[0] == 'E' ? s.Alg switch { "ES256" => P256Other, "ES384" => ECDsa.Create(ECCurve.NamedCurves.nistP384), _ => ECDsa.Create(ECCurve.NamedCurves.nistP521) } : Rsa2048Other));
        yield return ("sig/ecdsa-der", Expect.Bad, (s, _) => { s.UseKey("ES256", P256); s.DerSignature = true; });

        // Key set.
        yield return ("jwks/keys-twice-secret-first", Expect.Bad, (s, _) => s.RawJwksPrefix = "\"keys\":[{\"kty\":\"oct\",\"k\":\"" + B64(Secret(32)) + "\"}],");
        yield return ("jwks/keys-twice-private-rsa-first", Expect.Bad, (s, _) =>
        {
            var jwk = Jwk(Rsa2048Other);
            jwk["d"] = B64(Rsa2048Other.ExportParameters(true).D!);
            s.RawJwksPrefix = "\"keys\":[" + jwk.ToJsonString() + "],";
        });
        yield return ("jwks/member-twice-in-key", Expect.Bad, (s, _) => s.DuplicateInSigningJwk = true);
        yield return ("jwks/private-member", Expect.Bad, (s, r) => s.SigningJwk[new[] { "d", "p", "q", "dp", "dq", "qi", "k" }[r.Next(7)]] = B64(Secret(32, seed: 3)));
        yield return ("jwks/x5c-of-another-key", Expect.Bad, (s, _) =>
        {
            var other = s.Alg[0] == 'E' ? (AsymmetricAlgorithm)P256Other : Rsa2048Other;
            s.UseKey(s.Alg[0] == 'E' ? "ES256" : s.Alg, s.Alg[0] == 'E' ? P256 : Rsa2048);
            s.SigningJwk["x5c"] = new JsonArray(Certificate(other));
            s.SignAs = (s.Alg, other);
        });
        yield return ("jwks/use-enc", Expect.Bad, (s, _) => s.SigningJwk["use"] = "enc");
        yield return ("jwks/key-ops-sign-only", Expect.Bad, (s, _) => s.SigningJwk["key_ops"] = new JsonArray("sign"));
        yield return ("jwks/lone-surrogate", Expect.Bad, (s, _) => s.SigningJwk["kid"] = "PLACEHOLDER-SURROGATE");
        yield return ("jwks/ec-point-off-the-curve", Expect.Bad, (s, _) =>
        {
            s.UseKey("ES256", P256);
            var x = Convert.FromBase64String(Pad(s.SigningJwk["x"]!.GetValue<string>()));
            x[^1] ^= 1;
            s.SigningJwk["x"] = B64(x);
        });
        yield return ("jwks/not-an-object", Expect.Bad, (s, _) => s.JwksOverride = "[" + s.SigningJwk.ToJsonString() + "]");
    }

    private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Pad(string base64Url) => base64Url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (base64Url.Length % 4)) % 4);

    private static string FlipSignatureByte(string token, int at)
    {
        var dot = token.LastIndexOf('.');
        var signature = Convert.FromBase64String(Pad(token[(dot + 1)..]));
        signature[at % signature.Length] ^= 0x01;
        return token[..(dot + 1)] + B64(signature);
    }

    private static string NonCanonical(string token)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var signature = token[(token.LastIndexOf('.') + 1)..];
        var unused = (signature.Length % 4) switch { 2 => 4, 3 => 2, _ => 0 };
        if (unused == 0)
        {
            // Note: a signature of a length with no spare bits (RSA 2048: 342 characters has some) is padded instead.
            return token + "=";
        }

        return token[..^1] + Alphabet[Alphabet.IndexOf(token[^1], StringComparison.Ordinal) | 1];
    }

    /// <summary>One generated case, mutable until <see cref="Build"/>.</summary>
    private sealed class Spec
    {
        public string Alg { get; private set; } = "RS256";

        public object Key { get; private set; } = Rsa2048;

        public JsonObject SigningJwk { get; private set; } = [];

        public List<JsonObject> Keys { get; } = [];

        public List<(string Name, string Json)> Header { get; } = [];

        public List<(string Name, string Json)> Payload { get; } = [];

        public string? Issuer { get; set; }

        public string? Audience { get; set; }

        public decimal NowSeconds { get; set; }

        public DateTimeOffset Now => DateTimeOffset.FromUnixTimeSeconds(T).AddTicks((long)((NowSeconds - T) * TimeSpan.TicksPerSecond));

        public (string Alg, object Key)? SignAs { get; set; }

        public bool Unsigned { get; set; }

        public bool DerSignature { get; set; }

        public bool DuplicateInSigningJwk { get; set; }

        public string HeaderPrefix { get; set; } = string.Empty;

        public string ExtraRoot { get; set; } = string.Empty;

        public string RawJwksPrefix { get; set; } = string.Empty;

        public string? JwksOverride { get; set; }

        public Func<string, string>? Tamper { get; set; }

        public static Spec Random(Random random)
        {
            var spec = new Spec();
            var (alg, key) = s_signers[random.Next(s_signers.Length)];
            var withKid = random.Next(4) != 0;
            spec.UseKey(alg, key(), withKid, random.Next(2) == 0, random.Next(3) == 0);
            if (random.Next(2) == 0)
            {
                spec.Keys.Insert(0, Jwk(alg[0] == 'E' ? P256Other : Rsa2048Other, kid: "decoy"));
            }

            spec.NowSeconds = T + (random.Next(0, 10_000_000) / 10_000_000m);
            spec.Header.Add(("alg", "\"" + alg + "\""));
            if (withKid)
            {
                spec.Header.Add(("kid", "\"k1\""));
            }

            spec.Payload.Add(("iss", "\"https://issuer.test\""));
            spec.Payload.Add(("sub", "\"client-1\""));
            spec.Payload.Add(("aud", random.Next(2) == 0 ? "\"https://api.test\"" : "[\"https://api.test\",\"https://other.test\"]"));
            spec.Payload.Add(("iat", Num(decimal.Floor(spec.NowSeconds) - random.Next(1, 120))));
            if (random.Next(2) == 0)
            {
                spec.Payload.Add(("nbf", Num(decimal.Floor(spec.NowSeconds) - random.Next(0, 120))));
            }

            spec.Payload.Add(("exp", Num(spec.NowSeconds + random.Next(1, 3600) + (random.Next(0, 1000) / 1000m))));
            spec.Payload.Add(("scope", random.Next(2) == 0 ? "\"read write\"" : "[\"read\",\"write\"]"));
            spec.Issuer = random.Next(2) == 0 ? "https://issuer.test" : null;
            spec.Audience = random.Next(2) == 0 ? "https://api.test" : null;
            return spec;
        }

        /// <summary>Signs with another key or algorithm, and publishes that key (with the same kid) instead.</summary>
        public void UseKey(string alg, object key, bool withKid = true, bool withAlg = false, bool withUse = false)
        {
            Alg = alg;
            Key = key;
            var jwk = Jwk((AsymmetricAlgorithm)key, kid: withKid || SigningJwk.ContainsKey("kid") ? "k1" : null, alg: withAlg ? alg : null, use: withUse ? "sig" : null);
            var at = Keys.IndexOf(SigningJwk);
            if (at >= 0)
            {
                Keys[at] = jwk;
            }
            else
            {
                Keys.Add(jwk);
            }

            SigningJwk = jwk;
            var header = Header.FindIndex(h => h.Name == "alg");
            if (header >= 0)
            {
                Header[header] = ("alg", "\"" + alg + "\"");
            }
        }

        public void SetHeader(string name, string json) => Set(Header, name, json);

        public void RemoveHeader(string name) => Header.RemoveAll(h => h.Name == name);

        public void SetPayload(string name, string json) => Set(Payload, name, json);

        public void RemovePayload(string name) => Payload.RemoveAll(p => p.Name == name);

        public (string Token, string Jwks) Build()
        {
            var headerJson = HeaderPrefix + Object(Header);
            var payloadJson = Object(Payload);
            var input = Encode(headerJson) + "." + Encode(payloadJson);
            string token;
            if (Unsigned)
            {
                token = input + ".";
            }
            else
            {
                var (alg, key) = SignAs ?? (Alg, Key);
                var data = Encoding.ASCII.GetBytes(input);
                var signature = DerSignature
                    ? ((ECDsa)key).SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                    : Signature(data, alg, key);
                token = input + "." + B64(signature);
            }

            token = Tamper?.Invoke(token) ?? token;

            string jwks;
            if (JwksOverride is not null)
            {
                jwks = JwksOverride;
            }
            else
            {
                var keys = Keys.Select(k =>
                {
                    var json = k.ToJsonString();
                    if (DuplicateInSigningJwk && ReferenceEquals(k, SigningJwk))
                    {
                        var first = k["kty"]!.GetValue<string>() == "RSA" ? "n" : "x";
                        json = json[..^1] + ",\"" + first + "\":" + k[first]!.ToJsonString() + "}";
                    }

                    return json.Replace("PLACEHOLDER-SURROGATE", "\\uD800", StringComparison.Ordinal);
                });
                jwks = "{" + RawJwksPrefix + "\"keys\":[" + string.Join(",", keys) + "]" + ExtraRoot + "}";
            }

            return (token, jwks);
        }

        private static void Set(List<(string Name, string Json)> members, string name, string json)
        {
            var at = members.FindIndex(m => m.Name == name);
            if (at >= 0)
            {
                members[at] = (name, json);
            }
            else
            {
                members.Add((name, json));
            }
        }

        private static string Object(List<(string Name, string Json)> members) =>
            "{" + string.Join(",", members.Select(m => "\"" + m.Name + "\":" + m.Json)) + "}";
    }
}
