using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Fuzz;

/// <summary>
/// The fuzz targets, shared by the AFL++ harness (Program.cs) and the xunit replay of the corpus, so the replay runs
/// exactly what the fuzzer ran. A target returns normally for any input it refuses with an expected exception
/// (<see cref="ScopeFormatException"/>, <see cref="TokenConversionException"/>); anything else escaping is a finding.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The inbound issuer the converter target accepts.</summary>
    public const string InboundIssuer = "https://fuzz.issuer.test/";

    /// <summary>The audience the converter target accepts.</summary>
    public const string Audience = "https://fuzz.api.test";

    /// <summary>The key id of the inbound issuer's key.</summary>
    public const string InboundKeyId = "fuzz-inbound";

    private static readonly Lazy<ScopeTokenConverter> s_converter = new(CreateConverter);

    // Note: the fixed token of the converter-signature target, valid until 2100: its signing input and canonical signature.
    private static readonly Lazy<(string SigningInput, string Signature)> s_signatureSeed = new(static () =>
    {
        var token = SignSeed(
            $$"""{"alg":"HS256","kid":"{{InboundKeyId}}","typ":"JWT"}""",
            $$"""{"iss":"{{InboundIssuer}}","aud":"{{Audience}}","sub":"client-1","exp":4102444800,"scope":"read:a"}""");
        var last = token.LastIndexOf('.');
        return (token[..last], token[(last + 1)..]);
    });

    /// <summary>Gets the target names accepted by <see cref="Run"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["normalizer-json", "scopeset", "converter", "converter-json", "converter-signature"];

    /// <summary>Gets the inbound issuer's HS256 secret: fixed and public (test only), so seed tokens are reproducible.</summary>
    public static byte[] InboundSecret => Encoding.ASCII.GetBytes("scopeclaims-fuzz-inbound-hs256-secret!!");

    /// <summary>Runs one target on one input.</summary>
    /// <param name="target">One of <see cref="Names"/>.</param>
    /// <param name="input">The input bytes.</param>
    /// <returns><see langword="true"/> when the input was accepted, <see langword="false"/> when refused with an expected exception.</returns>
    public static bool Run(string target, ReadOnlySpan<byte> input) => target switch
    {
        "normalizer-json" => NormalizerJson(input),
        "scopeset" => ScopeSetParse(input),
        "converter" => Convert(input),
        "converter-json" => ConvertJson(input),
        "converter-signature" => ConvertSignature(input),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown fuzz target; use normalizer-json, scopeset, converter, converter-json or converter-signature."),
    };

    /// <summary>Signs a seed token for the converter target (HS256 with <see cref="InboundSecret"/>).</summary>
    /// <param name="headerJson">The header JSON.</param>
    /// <param name="payloadJson">The payload JSON.</param>
    /// <returns>The compact JWS.</returns>
    public static string SignSeed(string headerJson, string payloadJson)
    {
        var input = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payloadJson));
        using var hmac = new System.Security.Cryptography.HMACSHA256(InboundSecret);
        return input + "." + Base64UrlEncoder.Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(input)));
    }

    private static bool NormalizerJson(ReadOnlySpan<byte> input)
    {
        ScopeSet scopes;
        try
        {
            scopes = ScopeNormalizer.Default.ReadPayloadJson(input);
        }
        catch (ScopeFormatException)
        {
            return false;
        }

        CheckSet(scopes);
        return true;
    }

    private static bool ScopeSetParse(ReadOnlySpan<byte> input)
    {
        var value = Encoding.UTF8.GetString(input);
        ScopeSet scopes;
        try
        {
            scopes = ScopeSet.Parse(value);
        }
        catch (ScopeFormatException ex)
        {
            // A character refused must really be outside the grammar (printable ASCII except '"' and '\\', or a space).
            if (ex.Reason == ScopeErrorReason.InvalidCharacter && value.All(c => c == ' ' || ScopeSet.IsValidScope(c.ToString())))
            {
                throw new InvalidOperationException("Invariant broken: a value inside the grammar was refused for its characters.");
            }

            return false;
        }

        // Differential: the vectorized one-pass parser against the plain model (split, drop empties, first appearances).
        var model = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal);
        if (!scopes.SequenceEqual(model, StringComparer.Ordinal))
        {
            throw new InvalidOperationException("Invariant broken: the parsed set differs from split-and-distinct.");
        }

        CheckSet(scopes);
        return true;
    }

    private static bool Convert(ReadOnlySpan<byte> input)
    {
        var token = Encoding.UTF8.GetString(input);
        ScopeTokenConversion result;
        try
        {
            result = s_converter.Value.ConvertAsync(token).GetAwaiter().GetResult();
        }
        catch (TokenConversionException)
        {
            return false;
        }
        catch (ScopeFormatException)
        {
            return false;
        }

        // Accepted: the source must really have been one of the inbound issuer's tokens, and nothing may be gained.
        var source = new JsonWebToken(token);
        var converted = new JsonWebToken(result.Token);
        if (source.Issuer != InboundIssuer || converted.ValidTo > source.ValidTo || !result.Scopes.IsSubsetOf(ScopeNormalizer.Default.Read(source)))
        {
            throw new InvalidOperationException("Invariant broken: a converted token outlives its source, gained scopes or came from another issuer.");
        }

        CheckSet(result.Scopes);
        return true;
    }

    /// <summary>
    /// The converter on JSON the fuzzer writes directly: the input is the header JSON, a line feed, and the payload JSON,
    /// as raw bytes; they are base64url-encoded and signed with the inbound key, so every mutation reaches the
    /// converter's header and payload scan and, when that passes, validation and issuing. An accepted token is checked
    /// against a reference reading of its JSON: no name twice in any object, no refused header, the allowed algorithm.
    /// </summary>
    private static bool ConvertJson(ReadOnlySpan<byte> input)
    {
        var split = input.IndexOf((byte)'\n');
        if (split < 0)
        {
            return false;
        }

        var header = input[..split].ToArray();
        var payload = input[(split + 1)..].ToArray();
        var signingInput = Base64UrlEncoder.Encode(header) + "." + Base64UrlEncoder.Encode(payload);
        using var hmac = new System.Security.Cryptography.HMACSHA256(InboundSecret);
        var token = signingInput + "." + Base64UrlEncoder.Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(signingInput)));
        if (!Convert(Encoding.UTF8.GetBytes(token)))
        {
            return false;
        }

        using var headerJson = System.Text.Json.JsonDocument.Parse(header);
        using var payloadJson = System.Text.Json.JsonDocument.Parse(payload);
        if (HasDuplicateName(headerJson.RootElement) || HasDuplicateName(payloadJson.RootElement))
        {
            throw new InvalidOperationException("Invariant broken: a token whose JSON names a member twice was converted.");
        }

        if (!IsUnicode(headerJson.RootElement) || !IsUnicode(payloadJson.RootElement))
        {
            throw new InvalidOperationException("Invariant broken: a token holding a string that is not valid Unicode (a lone surrogate) was converted.");
        }

        var names = headerJson.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (names.Overlaps(["crit", "jku", "x5u", "jwk", "zip"]) || headerJson.RootElement.GetProperty("alg").GetString() != SecurityAlgorithms.HmacSha256)
        {
            throw new InvalidOperationException("Invariant broken: a token with a refused header or another algorithm was converted.");
        }

        return true;
    }

    /// <summary>
    /// The converter on the characters of a signature: the input replaces the signature part of one fixed, validly signed
    /// token. Only the exact canonical signature may be accepted: padding, whitespace, characters outside the base64url
    /// alphabet, impossible lengths and other spellings of the same bytes are refused.
    /// </summary>
    private static bool ConvertSignature(ReadOnlySpan<byte> input)
    {
        var signature = Encoding.Latin1.GetString(input);
        var (signingInput, canonical) = s_signatureSeed.Value;
        if (!Convert(Encoding.UTF8.GetBytes(signingInput + "." + signature)))
        {
            return false;
        }

        if (!string.Equals(signature, canonical, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Invariant broken: a token whose signature part is not the canonical base64url signature was converted.");
        }

        return true;
    }

    private static bool IsUnicode(System.Text.Json.JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object:
                    return element.EnumerateObject().All(p => p.Name is not null && IsUnicode(p.Value));
                case System.Text.Json.JsonValueKind.Array:
                    return element.EnumerateArray().All(IsUnicode);
                case System.Text.Json.JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool HasDuplicateName(System.Text.Json.JsonElement element)
    {
        switch (element.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!seen.Add(property.Name) || HasDuplicateName(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            case System.Text.Json.JsonValueKind.Array:
                return element.EnumerateArray().Any(HasDuplicateName);
            default:
                return false;
        }
    }

    private static void CheckSet(ScopeSet scopes)
    {
        // Invariants of any set that was accepted: every element is in the grammar, and the set round-trips.
        if (!scopes.All(ScopeSet.IsValidScope) || ScopeSet.Parse(scopes.ToString()) != scopes)
        {
            throw new InvalidOperationException("Invariant broken: an accepted scope set is outside the grammar or does not round-trip.");
        }
    }

    private static ScopeTokenConverter CreateConverter()
    {
        var ours = new ScopeTokenOptions
        {
            Issuer = "https://fuzz.ours.test",
            SigningKeys = new SigningKeySet(TokenSigningKey.FromSymmetricKey(Encoding.ASCII.GetBytes("scopeclaims-fuzz-outbound-hs256-secret!"), keyId: "fuzz-ours")),
        };
        ours.Audiences.Add("https://fuzz.partner.test");

        var inbound = new InboundIssuerOptions { Issuer = InboundIssuer };
        inbound.Audiences.Add(Audience);
        inbound.Algorithms.Add(SecurityAlgorithms.HmacSha256);
        inbound.SigningKeys.Add(new SymmetricSecurityKey(InboundSecret) { KeyId = InboundKeyId });

        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(inbound);
        return new ScopeTokenConverter(options, new ScopeTokenIssuer(ours));
    }
}
