using System.CommandLine;

namespace ScopeClaims.Cli.Internal;

/// <summary><c>scopeclaims inspect</c>: decodes a token, reports its scope claims and their shapes, and verifies it when given a JWKS.</summary>
internal static class InspectCommand
{
    public static readonly string[] Examples =
    {
        "scopeclaims issue --scope \"read:a write:b\" | scopeclaims inspect",
        "scopeclaims inspect \"$TOKEN\" --jwks jwks.json --issuer https://tenant.auth0.com/ --audience https://api.example",
        "scopeclaims inspect \"$TOKEN\" --json | jq -r '.scopes[]'",
    };

    public static Command Create(CliContext context)
    {
        var token = CommonOptions.Token();
        var jwks = new Option<string?>("--jwks")
        {
            Description = "A JWKS file: verify the signature (and exp) with its keys. Without it, the token is decoded, not verified.",
            HelpName = "file",
        };
        var issuer = new Option<string?>("--issuer") { Description = "With --jwks: the required iss.", HelpName = "iss" };
        var audience = new Option<string?>("--audience") { Description = "With --jwks: the required aud.", HelpName = "aud" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (verified, verification, error, header, payload, scopeClaims, scopes, warnings) for scripts." };

        var command = new Command("inspect", "Decode a token and report its scope claims, their shape, the normalized scope set and warnings; verify it with --jwks. Exit code 1 when verification fails or the scopes are refused.")
        {
            token, jwks, issuer, audience, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var jwksPath = parseResult.GetValue(jwks);
            if (jwksPath is null && (parseResult.GetValue(issuer) is not null || parseResult.GetValue(audience) is not null))
            {
                throw CliException.Usage("--issuer and --audience are checked during verification; pass --jwks FILE too.");
            }

            var keys = jwksPath is null ? null : JwksFile.Load(jwksPath);
            var text = TokenInput.Read(context, parseResult.GetValue(token));
            var report = TokenReport.Decode(text);
            if (keys is not null)
            {
                await report.VerifyAsync(text, keys, parseResult.GetValue(issuer), parseResult.GetValue(audience), cancellationToken).ConfigureAwait(false);
            }

            context.Out.WriteLine(parseResult.GetValue(json) ? report.ToJson() : report.ToText());
            if (report.Error is null)
            {
                return ExitCodes.Success;
            }

            context.Error.WriteLine("error: " + report.Error);
            return ExitCodes.Refused;
        });
        return command;
    }
}
