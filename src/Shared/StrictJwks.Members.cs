using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

// The members of a key: each standard member of its JSON type, base64url where RFC 7518 says so.
internal static partial class StrictJwks
{
    private static bool TryString(JsonElement key, string name, int index, bool required, out string? value, out Result failure)
    {
        value = null;
        failure = default;
        if (!key.TryGetProperty(name, out var member))
        {
            if (required)
            {
                failure = Result.Fail(Error.InvalidKey, Where(index, $"has no \"{name}\" member"), index, name);
                return false;
            }

            return true;
        }

        if (member.ValueKind != JsonValueKind.String)
        {
            failure = Result.Fail(Error.InvalidKey, Where(index, $"has a \"{name}\" member that is not a string"), index, name);
            return false;
        }

        value = member.GetString();
        return true;
    }

    private static bool TryStrings(JsonElement key, string name, int index, out string[]? values, out Result failure)
    {
        values = null;
        failure = default;
        if (!key.TryGetProperty(name, out var member))
        {
            return true;
        }

        if (member.ValueKind != JsonValueKind.Array)
        {
            failure = Result.Fail(Error.InvalidKey, Where(index, $"has a \"{name}\" member that is not an array of strings"), index, name);
            return false;
        }

        var list = new List<string>();
        foreach (var item in member.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                failure = Result.Fail(Error.InvalidKey, Where(index, $"has a \"{name}\" member that is not an array of strings"), index, name);
                return false;
            }

            var text = item.GetString()!;
            if (name == "key_ops" && list.Contains(text))
            {
                // RFC 7517 §4.3: duplicate key operation values MUST NOT be present.
                failure = Result.Fail(Error.InvalidKey, Where(index, "names a \"key_ops\" value twice (RFC 7517 §4.3)"), index, name);
                return false;
            }

            list.Add(text);
        }

        values = list.ToArray();
        return true;
    }

    private static bool TryBase64UrlMember(JsonElement key, string name, int index, out string? text, out byte[] bytes, out Result failure)
    {
        bytes = [];
        if (!TryString(key, name, index, required: true, out text, out failure))
        {
            return false;
        }

        if (!IsBase64Url(text!))
        {
            failure = Result.Fail(Error.InvalidKey, Where(index, $"has a \"{name}\" member that is not unpadded base64url (RFC 7515 §2)"), index, name);
            return false;
        }

        bytes = Base64UrlEncoder.DecodeBytes(text);
        return true;
    }

    private static bool IsBase64Url(string value)
    {
        if (value.Length == 0 || value.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Where(int index, string what) => string.Create(CultureInfo.InvariantCulture, $"key {index} of the JWK set {what}");
}
