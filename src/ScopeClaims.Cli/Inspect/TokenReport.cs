using System.Collections.Generic;
using System.Text.Json;

namespace ScopeClaims.Cli.Internal;

/// <summary>What <c>inspect</c> says about a token: its decoded parts, scope claims and their shapes, the normalized set, warnings.</summary>
internal sealed partial class TokenReport
{
    // Note: split by concern: the report and decoding here, TokenReport.Lint.cs (scope claims and warnings),
    // TokenReport.Verify.cs (signature and claims against a JWKS), TokenReport.Render.cs (text and JSON output).
    private TokenReport(JsonElement header, JsonElement payload)
    {
        Header = header;
        Payload = payload;
    }

    public JsonElement Header { get; }

    public JsonElement Payload { get; }

    public List<ScopeClaimReport> ScopeClaims { get; } = new();

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
        var jws = TokenInput.Decode(token);
        var report = new TokenReport(jws.Header, jws.Payload);
        report.ReadScopes(jws.PayloadUtf8);
        report.CheckHeader();
        report.CheckLifetime();
        return report;
    }
}
