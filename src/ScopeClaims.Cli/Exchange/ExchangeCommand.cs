using System;
using System.CommandLine;
using System.Net;

namespace ScopeClaims.Cli.Internal;

/// <summary>
/// <c>scopeclaims exchange</c>: a client of an RFC 8693 token-exchange endpoint. Posts the token, authenticated with a
/// client secret read from an environment variable (<c>client_secret_basic</c>) or a private key (<c>private_key_jwt</c>),
/// and prints the issued token alone on stdout.
/// </summary>
internal static class ExchangeCommand
{
    public static readonly string[] Examples =
    {
        "scopeclaims exchange \"$TOKEN\" --endpoint https://api.example/oauth2/token --client-id billing-service --client-secret-env BILLING_SECRET --audience https://partner.example",
        "scopeclaims exchange \"$TOKEN\" --endpoint https://api.example/oauth2/token --client-id jwt-service --key client.jwk --scope read:appointments",
    };

    public static Command Create(CliContext context)
    {
        var token = CommonOptions.Token();
        var endpoint = new Option<string>("--endpoint") { Description = "The token endpoint's URL: https, or http on a loopback address.", HelpName = "url", Required = true };
        var clientId = new Option<string>("--client-id") { Description = "The client id registered at the endpoint.", HelpName = "id", Required = true };
        var secretEnv = new Option<string?>("--client-secret-env")
        {
            Description = "The name of the environment variable holding the client secret (client_secret_basic). The secret is never passed on the command line.",
            HelpName = "VAR",
        };
        var key = new Option<string?>("--key")
        {
            Description = "The client's private key (JWK or PEM file) for private_key_jwt: a client assertion of 60 seconds with a fresh jti is signed with it.",
            HelpName = "file",
        };
        var assertionAudience = new Option<string?>("--assertion-audience")
        {
            Description = "The client assertion's aud, when the endpoint expects its issuer rather than its URL (the default).",
            HelpName = "aud",
        };
        var audience = new Option<string?>("--audience") { Description = "The target audience (RFC 8693 audience); selects the partner profile.", HelpName = "aud" };
        var scope = new Option<string?>("--scope") { Description = "The scopes to keep (down-scoping), space-delimited; each must be granted by TOKEN.", HelpName = "scopes" };
        var timeout = new Option<int>("--timeout")
        {
            Description = $"Seconds allowed for the endpoint's whole answer, headers and body (1 to {ExchangeClient.MaxTimeoutSeconds}).",
            HelpName = "seconds",
            DefaultValueFactory = static _ => ExchangeClient.DefaultTimeoutSeconds,
        };

        var command = new Command("exchange", "Exchange a token at an RFC 8693 token-exchange endpoint and print the issued token alone on stdout. Exit codes: 0 issued, 1 refused by the endpoint (its error on stderr), 2 usage error, 3 endpoint unreachable or not answering as a token endpoint.")
        {
            token, endpoint, clientId, secretEnv, key, assertionAudience, audience, scope, timeout,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var url = EndpointUrl(parseResult.GetValue(endpoint)!);
            var id = parseResult.GetValue(clientId)!;
            var credential = Credential(parseResult.GetValue(secretEnv), parseResult.GetValue(key), parseResult.GetValue(assertionAudience), url);
            var subject = TokenInput.Read(context, parseResult.GetValue(token));

            var seconds = parseResult.GetValue(timeout);
            if (seconds is < 1 or > ExchangeClient.MaxTimeoutSeconds)
            {
                throw CliException.Usage($"--timeout must be between 1 and {ExchangeClient.MaxTimeoutSeconds} seconds.");
            }

            var request = new ExchangeRequest(url, id, subject, parseResult.GetValue(audience), parseResult.GetValue(scope), credential, TimeSpan.FromSeconds(seconds));
            var issued = await ExchangeClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            context.Out.Write(issued + "\n");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Uri EndpointUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            throw CliException.Usage("--endpoint is not an absolute http(s) URL without user info or fragment.");
        }

        // Note: the client secret or assertion travels in the request; plain http only where it cannot leave the machine.
        if (uri.Scheme == Uri.UriSchemeHttp && !(uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip))))
        {
            throw CliException.Usage("--endpoint must use https (http is accepted on loopback addresses only).");
        }

        return uri;
    }

    private static ExchangeCredential Credential(string? secretVariable, string? keyPath, string? assertionAudience, Uri endpoint)
    {
        if ((secretVariable is null) == (keyPath is null))
        {
            throw CliException.Usage("Pass exactly one of --client-secret-env VAR (client_secret_basic) and --key FILE (private_key_jwt).");
        }

        if (secretVariable is not null)
        {
            if (assertionAudience is not null)
            {
                throw CliException.Usage("--assertion-audience goes with --key (private_key_jwt) only.");
            }

            var secret = Environment.GetEnvironmentVariable(secretVariable);
            return string.IsNullOrEmpty(secret)
                ? throw CliException.Usage($"The environment variable '{secretVariable}' named by --client-secret-env is not set or empty.")
                : ExchangeCredential.FromSecret(secret);
        }

        return ExchangeCredential.FromKey(KeyFiles.Load(keyPath!), assertionAudience ?? endpoint.AbsoluteUri);
    }
}
