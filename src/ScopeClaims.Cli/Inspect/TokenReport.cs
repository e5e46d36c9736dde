using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims.Cli.Internal;

/// <summary>What <c>inspect</c> says about a token: its decoded parts, scope claims and their shapes, the normalized set, warnings.</summary>
internal sealed partial class TokenReport
{
    // Note: split by concern: decoding here, TokenReport.Lint.cs (scope claims and warnings), TokenReport.Verify.cs
    // (signature and claims against a JWKS), TokenReport.Render.cs (text and JSON output).
    private static readonly JsonDocumentOptions s_jsonOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

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
