using System;
using System.Collections.Generic;
using System.CommandLine;

namespace ScopeClaims.Cli.Internal;

/// <summary><c>scopeclaims issue</c>: signs a token with the scopes in the requested shape and prints it alone on stdout.</summary>
internal static class IssueCommand
{
    public static readonly string[] Examples =
    {
        "scopeclaims issue --scope \"read:a write:b\"",
        "scopeclaims issue --scope read:a --scope write:b --format space-delimited --lifetime 30s",
        "scopeclaims issue --scope read:a --key signing.jwk --issuer https://issuer.example --audience https://partner.example/token --subject client-1 --claim tenant=t1 --decode",
        "TOKEN=$(scopeclaims issue --scope read:a)",
    };

    public static Command Create(CliContext context)
    {
        var scope = new Option<string[]>("--scope")
        {
            Description = "The scopes: one space-delimited value, or repeat the option. Checked against the RFC 6749 §3.3 grammar.",
            HelpName = "scopes",
            Required = true,
        };
        var format = CommonOptions.Format("--format", "The scope shape: a JSON array, an RFC 8693 space-delimited string, or both (string in --claim-name, array in scp).");
        var claimName = new Option<string?>("--claim-name")
        {
            Description = "The scope claim name; with --format both, the claim that carries the string (the array stays in scp). [default: scope]",
            HelpName = "name",
        };
        var issuer = CommonOptions.Issuer("The iss claim.");
        var audience = CommonOptions.Audience("The aud claim.");
        var subject = new Option<string?>("--subject") { Description = "The sub claim; none when omitted.", HelpName = "sub" };
        var lifetime = CommonOptions.Lifetime("How long the token is valid:");
        var key = CommonOptions.Key();
        var claim = new Option<string[]>("--claim")
        {
            Description = "An extra claim NAME=VALUE; repeat for more. VALUE is always written as a JSON string. Registered claims (iss, sub, aud, exp, nbf, iat, jti) and scope claims are refused in any letter case.",
            HelpName = "name=value",
        };
        var decode = new Option<bool>("--decode") { Description = "Also print the decoded header and payload as indented JSON on stderr." };

        var command = new Command("issue", "Issue a signed token with the given scopes, printed alone on stdout.")
        {
            scope, format, claimName, issuer, audience, subject, lifetime, key, claim, decode,
        };
        command.SetAction(parseResult =>
        {
            var scopes = ParseScopes(parseResult.GetValue(scope)!);
            if (parseResult.GetValue(subject) is { } sub && string.IsNullOrWhiteSpace(sub))
            {
                throw CliException.Usage("--subject cannot be empty; omit it for a token without sub.");
            }

            var claims = ParseClaims(parseResult.GetValue(claim) ?? Array.Empty<string>());
            var options = CommonOptions.Profile(parseResult, issuer, audience, format, lifetime);
            if (parseResult.GetValue(claimName) is { } name)
            {
                if (options.Format == ScopeFormat.Both && string.Equals(name, options.ArrayClaimName, StringComparison.OrdinalIgnoreCase))
                {
                    throw CliException.Usage($"--claim-name '{name}' is the array claim of --format both; choose another name for the string claim.");
                }

                options.ClaimName = name;
            }

            options.SigningKeys = new SigningKeySet(KeyFiles.SigningKey(context, parseResult.GetValue(key)));
            var token = Issue(options, new ScopeTokenRequest(scopes) { Subject = parseResult.GetValue(subject), Claims = claims });
            context.Out.Write(token + "\n");
            if (parseResult.GetValue(decode))
            {
                context.Error.WriteLine(Decode(token));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Issue(ScopeTokenOptions options, ScopeTokenRequest request)
    {
        var issuer = new ScopeTokenIssuer(options);
        try
        {
            return issuer.Issue(request);
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(Cli.MessageOf(ex), ex);
        }
    }

    private static ScopeSet ParseScopes(string[] values)
    {
        var scopes = ScopeSet.Empty;
        foreach (var value in values)
        {
            try
            {
                scopes = scopes.Union(ScopeSet.Parse(value));
            }
            catch (ScopeFormatException ex)
            {
                throw CliException.Usage($"--scope: {ex.Message}", ex);
            }
        }

        return scopes.IsEmpty ? throw CliException.Usage("--scope needs at least one scope, e.g. --scope \"read:a write:b\".") : scopes;
    }

    private static Dictionary<string, object>? ParseClaims(string[] values)
    {
        if (values.Length == 0)
        {
            return null;
        }

        // Note: consumers compare claim types ignoring case, so 'tenant' and 'TENANT' would be one claim named twice.
        var claims = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw CliException.Usage($"--claim '{value}' is not NAME=VALUE.");
            }

            var name = value[..separator];
            if (!claims.TryAdd(name, value[(separator + 1)..]))
            {
                throw CliException.Usage($"--claim names '{name}' twice (claim names are compared ignoring case).");
            }
        }

        return claims;
    }

    private static string Decode(string token)
    {
        var jws = TokenInput.Decode(token);
        return Json.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("header");
            jws.Header.WriteTo(writer);
            writer.WritePropertyName("payload");
            jws.Payload.WriteTo(writer);
            writer.WriteEndObject();
        });
    }
}
