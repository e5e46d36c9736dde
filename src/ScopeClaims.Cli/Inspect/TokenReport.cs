using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims.Cli.Internal;

/// <summary>What <c>inspect</c> says about a token: its decoded parts, scope claims and their shapes, the normalized set, warnings.</summary>
internal sealed class TokenReport
{
    private static readonly string[] s_scopeClaimTypes = { ScopeClaimTypes.Scope, ScopeClaimTypes.Scp, ScopeClaimTypes.MicrosoftScope };
    private static readonly JsonDocumentOptions s_jsonOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    private TokenReport(JsonElement header, JsonElement payload)
    {
        Header = header;
        Payload = payload;
    }

    public JsonElement Header { get; }

    public JsonElement Payload { get; }

    public List<ScopeClaimShape> ScopeClaims { get; } = new();

    /// <summary>Gets the normalized scopes, or <see langword="null"/> when the scope claims were refused.</summary>
    public ScopeSet? Scopes { get; private set; }

    public List<string> Warnings { get; } = new();

    /// <summary>Gets the signature check: <c>not checked</c>, <c>ok</c> or <c>failed</c>.</summary>
    public string Verification { get; private set; } = "not checked";

    public bool Verified => Verification == "ok";

    /// <summary>Gets what was wrong (refused scopes, failed verification), or <see langword="null"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Decodes a compact JWS without verifying it and reads its scope claims.</summary>
    /// <exception cref="CliException">The token is not a compact JWS with JSON header and payload (exit code 1).</exception>
    public static TokenReport Decode(string token)
    {
        var parts = token.Split('.');
        if (parts.Length == 5)
        {
            throw CliException.Refused("The token is encrypted (JWE); inspect reads signed tokens (JWS) only.");
        }

        if (parts.Length != 3)
        {
            throw CliException.Refused("The token is not a compact JWS (three base64url parts separated by dots).");
        }

        for (var i = 0; i < 3; i++)
        {
            if (Base64UrlText.Problem(parts[i]) is { } problem)
            {
                throw CliException.Refused($"The token {(i == 0 ? "header" : i == 1 ? "payload" : "signature")} is not valid base64url ({problem}).");
            }
        }

        var payloadBytes = DecodePart(parts[1], "payload");
        var report = new TokenReport(ParseObject(DecodePart(parts[0], "header"), "header"), ParseObject(payloadBytes, "payload"));
        report.ReadScopes(payloadBytes);
        report.CheckHeader();
        report.CheckLifetime();
        return report;
    }

    /// <summary>Verifies the signature with the JWKS, and <c>iss</c> and <c>aud</c> when given; <c>exp</c> is required.</summary>
    public async Task VerifyAsync(string token, JwksFile jwks, string? issuer, string? audience, CancellationToken cancellationToken)
    {
        if (Header.TryGetProperty("crit", out _))
        {
            Fail(TokenConversionFailure.UnsupportedCriticalHeader, "The token header marks extensions as critical ('crit'); none is implemented (RFC 7515 §4.1.11).");
            return;
        }

        // Note: Microsoft.IdentityModel enforces ValidAlgorithms too, but reports a refusal as a key or signature failure.
        if (!Header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || !jwks.Algorithms.Contains(alg.GetString()!, StringComparer.Ordinal))
        {
            Fail(TokenConversionFailure.AlgorithmNotAllowed, $"The token's algorithm is not one the JWKS keys name ({string.Join(", ", jwks.Algorithms)}).");
            return;
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.Keys,
            ValidAlgorithms = jwks.Algorithms,
            ValidateIssuer = issuer is not null,
            ValidIssuer = issuer,
            ValidateAudience = audience is not null,
            ValidAudience = audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,

            // Note: RFC 8725 §3.1/§3.2: the verifying key must fit the algorithm (family, size, curve, JWK alg/use/key_ops).
            IssuerSigningKeyValidator = static (key, token, _) => KeyAlgorithmBinding.Check(key, (token as JsonWebToken)?.Alg) is not { } problem
                ? true
                : throw new SecurityTokenInvalidSigningKeyException("The JWKS key does not fit the token's algorithm: " + problem + ".") { SigningKey = key },

            // Note: Microsoft.IdentityModel ignores a trailing slash by default; --audience is compared exactly.
            IgnoreTrailingSlashWhenValidatingAudience = false,
            TryAllIssuerSigningKeys = !Header.TryGetProperty("kid", out _),
            ClockSkew = TimeSpan.FromSeconds(30),
        };

        var result = await s_handler.ValidateTokenAsync(token, parameters).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsValid)
        {
            Verification = "ok";
        }
        else
        {
            var (reason, message) = ValidationFailures.Classify(result.Exception);
            Fail(reason, message);
        }
    }

    public string ToText()
    {
        var lines = new List<string>
        {
            Verification switch
            {
                "ok" => "verified: the signature matches a key of the JWKS",
                "failed" => "NOT VERIFIED: " + Error,
                _ => "not verified: the signature was not checked",
            },
            "header:",
            Json.Indent(Header),
            "payload:",
            Json.Indent(Payload),
            "scope claims:" + (ScopeClaims.Count == 0 ? " none" : string.Empty),
        };
        lines.AddRange(ScopeClaims.Select(static c => $"  {c.Name}: {c.Shape}"));
        lines.Add(Scopes is null ? "scopes: refused" : "scopes: " + (Scopes.IsEmpty ? "(none)" : Scopes.ToString()));
        if (Warnings.Count > 0)
        {
            lines.Add("warnings:");
            lines.AddRange(Warnings.Select(static w => "  - " + w));
        }

        if (Error is not null && Verification != "failed")
        {
            lines.Add("error: " + Error);
        }

        return string.Join('\n', lines);
    }

    public string ToJson() => Json.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("verified", Verified);
        writer.WriteString("verification", Verification);
        writer.WriteString("error", Error);
        writer.WritePropertyName("header");
        Header.WriteTo(writer);
        writer.WritePropertyName("payload");
        Payload.WriteTo(writer);
        writer.WriteStartArray("scopeClaims");
        foreach (var claim in ScopeClaims)
        {
            writer.WriteStartObject();
            writer.WriteString("name", claim.Name);
            writer.WriteString("shape", claim.Shape);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (Scopes is null)
        {
            writer.WriteNull("scopes");
        }
        else
        {
            writer.WriteStartArray("scopes");
            foreach (var scope in Scopes)
            {
                writer.WriteStringValue(scope);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("warnings");
        foreach (var warning in Warnings)
        {
            writer.WriteStringValue(warning);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private void Fail(TokenConversionFailure reason, string message)
    {
        Verification = "failed";
        Error = $"verification failed ({reason}): {message}";
    }

    private void ReadScopes(byte[] payloadJson)
    {
        foreach (var name in s_scopeClaimTypes)
        {
            if (Payload.TryGetProperty(name, out var value))
            {
                var shape = Describe(value);
                ScopeClaims.Add(new ScopeClaimShape(name, shape));
                if (shape == "string")
                {
                    Warnings.Add($"{name} is a string; a partner that expects an array will reject it");
                }
                else if (shape == "array")
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
        JsonValueKind.String => "string",
        JsonValueKind.Array => value.EnumerateArray().All(static e => e.ValueKind == JsonValueKind.String) ? "array" : "array with non-string elements",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    private static byte[] DecodePart(string part, string what)
    {
        try
        {
            return Base64UrlEncoder.DecodeBytes(part);
        }
        catch (FormatException ex)
        {
            throw CliException.Refused($"The token {what} is not valid base64url.", ex);
        }
    }

    private static JsonElement ParseObject(byte[] json, string what)
    {
        try
        {
            if (!JsonUnicode.HasOnlyUnicodeStrings(json, s_jsonOptions.MaxDepth))
            {
                throw CliException.Refused($"The token {what} holds a string that is not valid Unicode (invalid UTF-8, or an escaped lone surrogate such as \\uD800).");
            }

            using var document = JsonDocument.Parse(json, s_jsonOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw CliException.Refused($"The token {what} is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw CliException.Refused($"The token {what} is not well-formed JSON, names a property twice, or nests too deeply.", ex);
        }
    }

}
