using System;
using System.Text.Json;

namespace ScopeClaims.Testing.Internal;

/// <summary>
/// What the kit checks itself, strictly, where Microsoft.IdentityModel is lenient or silent: the compact form, header
/// and registered claim types (RFC 7515 §4.1, RFC 7519 §4.1), <c>crit</c>, and <c>iss</c>, <c>aud</c>, <c>exp</c>,
/// <c>nbf</c> and <c>iat</c> compared exactly.
/// </summary>
internal static class TokenRules
{
    private static readonly string[] s_stringHeaders = ["kid", "typ", "cty", "jku", "x5u", "x5t", "x5t#S256"];
    private static readonly string[] s_stringClaims = ["iss", "sub", "jti"];

    /// <summary>Checks what needs no key and no clock; <see langword="null"/> when the token is well formed.</summary>
    public static string? CheckForm(string token, TokenInspection inspection)
    {
        var parts = token.Split('.');
        string[] names = ["header", "payload", "signature"];
        for (var i = 0; i < parts.Length; i++)
        {
            if (ScopeClaims.Internal.Base64UrlText.Problem(parts[i]) is { } problem)
            {
                return $"the token's {names[i]} is not canonical base64url ({problem})";
            }
        }

        var header = inspection.Header;
        if (header.TryGetProperty("crit", out _))
        {
            // RFC 7515 §4.1.11: a recipient that does not understand a listed extension must refuse the JWS.
            return "the header has \"crit\"; the kit understands no JWS extension, so it must refuse the token (RFC 7515 §4.1.11)";
        }

        foreach (var name in s_stringHeaders)
        {
            if (header.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return $"the header's \"{name}\" is not a string";
            }
        }

        var payload = inspection.Payload;
        foreach (var name in s_stringClaims)
        {
            if (payload.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return $"'{name}' is {Described(value)}, not a string (RFC 7519 §4.1)";
            }
        }

        if (payload.TryGetProperty("aud", out var aud) && AudienceShape(aud) is { } kind)
        {
            return $"'aud' is {kind}, not a string or an array of strings (RFC 7519 §4.1.3)";
        }

        foreach (var date in new[] { inspection.ExpiresAtClaim, inspection.NotBeforeClaim, inspection.IssuedAtClaim })
        {
            if (date.Problem is { } problem)
            {
                return problem;
            }
        }

        if (inspection.ExpiresAtClaim.Seconds is not { } exp)
        {
            return "the token has no 'exp' claim (RFC 7519 §4.1.4; the kit requires one)";
        }

        if (inspection.NotBeforeClaim.Seconds is { } nbf && nbf >= exp)
        {
            return $"the lifetime is invalid: nbf {NumericDate.Describe(nbf)}, exp {NumericDate.Describe(exp)} (nbf must be before exp)";
        }

        return null;
    }

    /// <summary>Checks the issuer, audience and times of a token whose form <see cref="CheckForm"/> accepted.</summary>
    public static string? CheckClaims(TokenInspection inspection, string? issuer, string? audience, DateTimeOffset now)
    {
        var payload = inspection.Payload;
        if (issuer is not null && !(payload.TryGetProperty("iss", out var iss) && string.Equals(iss.GetString(), issuer, StringComparison.Ordinal)))
        {
            return $"'iss' is {Claim(payload, "iss")}, not {Failure.Quoted(issuer)} (compared exactly)";
        }

        if (audience is not null && !NamesAudience(payload, audience))
        {
            return $"'aud' is {Claim(payload, "aud")}, which does not name {Failure.Quoted(audience)} (compared exactly: no trailing slash or case is ignored)";
        }

        // Note: exp is compared with the exact time; nbf and iat with the current whole second, since validators that
        // read the clock in seconds (jose) refuse a token whose nbf lies later in the current second.
        var exact = NumericDate.SecondsOf(now);
        var whole = decimal.Floor(exact);
        var exp = inspection.ExpiresAtClaim.Seconds!.Value;
        if (exp <= exact)
        {
            return $"the token expired at exp {NumericDate.Describe(exp)}; now is {NumericDate.Describe(exact)}";
        }

        if (inspection.NotBeforeClaim.Seconds is { } nbf && nbf > whole)
        {
            return $"the token is not valid before nbf {NumericDate.Describe(nbf)}; now is {NumericDate.Describe(exact)}{WholeSecond(nbf, exact, "nbf")}";
        }

        if (inspection.IssuedAtClaim.Seconds is { } iat && iat > whole)
        {
            return $"the token was issued after now: iat {NumericDate.Describe(iat)}; now is {NumericDate.Describe(exact)}{WholeSecond(iat, exact, "iat")}";
        }

        return null;
    }

    private static string WholeSecond(decimal claim, decimal exact, string name) => claim <= exact
        ? $" ({name} is compared with the current whole second, as validators that read the clock in seconds do)"
        : string.Empty;

    private static bool NamesAudience(JsonElement payload, string audience)
    {
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            return string.Equals(aud.GetString(), audience, StringComparison.Ordinal);
        }

        foreach (var element in aud.EnumerateArray())
        {
            if (string.Equals(element.GetString(), audience, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string? AudienceShape(JsonElement aud)
    {
        switch (aud.ValueKind)
        {
            case JsonValueKind.String:
                return null;
            case JsonValueKind.Array:
                foreach (var element in aud.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.String)
                    {
                        return $"an array holding {JsonText.Kind(element.ValueKind)} {JsonText.Shorten(aud.GetRawText())}";
                    }
                }

                return null;
            default:
                return Described(aud);
        }
    }

    private static string Described(JsonElement value) => value.ValueKind == JsonValueKind.Null
        ? "null"
        : $"{JsonText.Kind(value.ValueKind)} {JsonText.Shorten(value.GetRawText())}";

    private static string Claim(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) ? JsonText.Shorten(value.GetRawText()) : "absent";
}
