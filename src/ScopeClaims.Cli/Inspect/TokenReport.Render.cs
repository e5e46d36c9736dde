using System.Collections.Generic;
using System.Linq;

namespace ScopeClaims.Cli.Internal;

/// <content>Rendering: the report as text for people and as one JSON object for scripts.</content>
internal sealed partial class TokenReport
{
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
}
