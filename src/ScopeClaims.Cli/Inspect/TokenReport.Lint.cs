using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace ScopeClaims.Cli.Internal;

/// <content>Lint: the scope claims, their shapes and the normalized set, and warnings about the header and lifetime.</content>
internal sealed partial class TokenReport
{
    // Note: the shapes a scope claim may rightly have are named as --format names them.
    private const string ArrayShape = CommonOptions.ArrayFormat;
    private const string SpaceDelimitedShape = CommonOptions.SpaceDelimitedFormat;

    private void ReadScopes(byte[] payloadJson)
    {
        foreach (var name in ScopeClaimTypes.All)
        {
            if (Payload.TryGetProperty(name, out var value))
            {
                var shape = Describe(value);
                ScopeClaims.Add(new ScopeClaimReport(name, shape));
                if (shape == SpaceDelimitedShape)
                {
                    Warnings.Add($"{name} is a string; a partner that expects an array will reject it");
                }
                else if (shape == ArrayShape)
                {
                    Warnings.Add($"{name} is an array; a peer that expects an RFC 8693 space-delimited string will reject it");
                }
            }
        }

        if (ScopeClaims.Count == 0)
        {
            Warnings.Add("no scope claim (looked for scope, scp and the mapped Microsoft claim type)");
        }
        else if (ScopeClaims.Count > 1)
        {
            Warnings.Add($"{string.Join(" and ", ScopeClaims.Select(static c => c.Name))} both present; peers disagree on which one to read");
        }

        try
        {
            Scopes = ScopeNormalizer.Default.ReadPayloadJson(payloadJson);
        }
        catch (ScopeFormatException ex)
        {
            Error = $"scopes refused ({ex.Reason}): {ex.Message}";
        }
    }

    private void CheckHeader()
    {
        if (!Header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            Warnings.Add("the header has no 'alg'; no verifier will accept the token");
        }
        else if (string.Equals(alg.GetString(), "none", StringComparison.OrdinalIgnoreCase))
        {
            Warnings.Add("the token is unsigned (alg 'none'); no verifier should accept it");
        }

        foreach (var name in new[] { "jku", "x5u", "jwk" })
        {
            if (Header.TryGetProperty(name, out _))
            {
                Warnings.Add($"the header carries '{name}'; a verifier must never fetch or trust a key the token names itself (RFC 8725 §3.10)");
            }
        }
    }

    private void CheckLifetime()
    {
        var now = DateTimeOffset.UtcNow;
        if (!Payload.TryGetProperty("exp", out var exp))
        {
            Warnings.Add("no exp claim; RFC 7523 requires one and most verifiers refuse a token without it");
        }
        else if (exp.ValueKind != JsonValueKind.Number || !exp.TryGetInt64(out var expSeconds))
        {
            Warnings.Add("exp is not a whole number of seconds");
        }
        else if (DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(expSeconds, 0, 253402300799)) <= now)
        {
            Warnings.Add($"expired at {Time(expSeconds)}");
        }

        if (Payload.TryGetProperty("nbf", out var nbf) && nbf.ValueKind == JsonValueKind.Number && nbf.TryGetInt64(out var nbfSeconds)
            && DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(nbfSeconds, 0, 253402300799)) > now)
        {
            Warnings.Add($"not valid before {Time(nbfSeconds)}");
        }
    }

    private static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unixSeconds, 0, 253402300799)).ToString("u", CultureInfo.InvariantCulture);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => SpaceDelimitedShape,
        JsonValueKind.Array => value.EnumerateArray().All(static e => e.ValueKind == JsonValueKind.String) ? ArrayShape : "array with non-string elements",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
