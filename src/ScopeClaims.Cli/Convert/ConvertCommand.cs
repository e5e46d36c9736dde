using System;
using System.CommandLine;

namespace ScopeClaims.Cli.Internal;

/// <summary><c>scopeclaims convert</c>: validates a token against a JWKS or an authority, then re-issues it in the target shape.</summary>
internal static class ConvertCommand
{
    public static readonly string[] Examples =
    {
        "scopeclaims convert \"$TOKEN\" --authority https://tenant.auth0.com/ --valid-issuer https://tenant.auth0.com/ --valid-audience https://api.example --key signing.jwk",
        "scopeclaims issue --scope \"read:a write:b\" | scopeclaims convert --jwks dev-jwks.json --valid-issuer https://scopeclaims.local --valid-audience https://partner.example --to space-delimited --issuer https://converter.example --key signing.jwk",
    };

    public static Command Create(CliContext context)
    {
        var token = CommonOptions.Token();
        var jwks = new Option<string?>("--jwks")
        {
            Description = "The source issuer's JWKS file. Accepted algorithms are those its keys name in 'alg'; a key without 'alg' accepts RS, PS and ES 256/384/512.",
            HelpName = "file",
        };
        var authority = new Option<string?>("--authority")
        {
            Description = "The source issuer's OpenID Connect authority: its discovery document and JWKS are fetched (HTTPS, or http on loopback). Accepts RS, PS and ES 256/384/512.",
            HelpName = "url",
        };
        var validIssuer = new Option<string>("--valid-issuer") { Description = "The source token's required iss (exact match).", HelpName = "iss", Required = true };
        var validAudience = new Option<string>("--valid-audience") { Description = "The source token's required aud.", HelpName = "aud", Required = true };
        var to = CommonOptions.Format("--to", "The scope shape of the new token: a JSON array, an RFC 8693 space-delimited string, or both (scope string plus scp array).");
        var issuer = CommonOptions.Issuer("The new token's iss; must differ from --valid-issuer.");
        var audience = CommonOptions.Audience("The new token's aud.");
        var key = CommonOptions.Key();
        var lifetime = CommonOptions.Lifetime("The new token's longest lifetime; it never outlives the source token:");

        var command = new Command("convert", "Validate a token (signature, iss, aud, exp, algorithm) and re-issue it under your issuer and key with its scopes in the target shape. A refused token prints the reason on stderr, nothing on stdout, and exits 1.")
        {
            token, jwks, authority, validIssuer, validAudience, to, issuer, audience, key, lifetime,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var inbound = Inbound(parseResult.GetValue(jwks), parseResult.GetValue(authority));
            inbound.Issuer = parseResult.GetValue(validIssuer);
            inbound.Audiences.Add(parseResult.GetValue(validAudience)!);

            var target = CommonOptions.Profile(parseResult, issuer, audience, to, lifetime);
            if (string.Equals(inbound.Issuer, target.Issuer, StringComparison.Ordinal))
            {
                throw CliException.Usage($"--issuer and --valid-issuer are both '{target.Issuer}'; the new token's iss must differ from the source's (a token of our own issuer is never converted again).");
            }

            var options = new ScopeTokenConverterOptions { MaxLifetime = target.Lifetime };
            options.Issuers.Add(inbound);
            target.SigningKeys = new SigningKeySet(KeyFiles.SigningKey(context, parseResult.GetValue(key)));

            var converter = new ScopeTokenConverter(options, new ScopeTokenIssuer(target));

            var text = TokenInput.Read(context, parseResult.GetValue(token));
            var result = await converter.ConvertAsync(text, cancellationToken).ConfigureAwait(false);
            context.Out.Write(result.Token + "\n");
            return ExitCodes.Success;
        });
        return command;
    }

    private static InboundIssuerOptions Inbound(string? jwksPath, string? authority)
    {
        if ((jwksPath is null) == (authority is null))
        {
            throw CliException.Usage("Pass exactly one of --jwks FILE and --authority URL: where the source issuer's keys come from.");
        }

        var inbound = new InboundIssuerOptions();
        if (jwksPath is not null)
        {
            var jwks = JwksFile.Load(jwksPath);
            inbound.JwksJson = jwks.Json;
            foreach (var algorithm in jwks.Algorithms)
            {
                inbound.Algorithms.Add(algorithm);
            }

            return inbound;
        }

        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw CliException.Usage($"--authority '{authority}' is not an absolute https URL.");
        }

        inbound.Authority = uri;
        foreach (var algorithm in JwksFile.AsymmetricAlgorithms)
        {
            inbound.Algorithms.Add(algorithm);
        }

        return inbound;
    }
}
