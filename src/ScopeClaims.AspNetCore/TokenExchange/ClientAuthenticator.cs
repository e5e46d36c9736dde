using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using System.Net.Http.Headers;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Authenticates the client of a token request (RFC 6749 §2.3): <c>client_secret_basic</c>, <c>client_secret_post</c>
/// or <c>private_key_jwt</c> (RFC 7523 §2.2), exactly one of them; or no client at all when anonymous exchange is on.
/// </summary>
internal sealed class ClientAuthenticator
{
    private const int MaxSecretLength = 1024;

    private readonly Dictionary<string, RegisteredClient> _clients;
    private readonly RegisteredClient? _anonymous;
    private readonly ClientAssertionValidator _assertions;

    public ClientAuthenticator(Dictionary<string, RegisteredClient> clients, RegisteredClient? anonymous, ClientAssertionValidator assertions)
    {
        _clients = clients;
        _anonymous = anonymous;
        _assertions = assertions;
    }

    /// <summary>The outcome: a client (the anonymous allowlists for an anonymous request), or an error.</summary>
    public readonly record struct Outcome(RegisteredClient? Client, string? Method, TokenExchangeError? Error);

    public async ValueTask<Outcome> AuthenticateAsync(HttpRequest request, TokenExchangeForm form, CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization;
        var secret = form[TokenExchangeParameters.ClientSecret];
        var assertion = form[TokenExchangeParameters.ClientAssertion];
        var assertionType = form[TokenExchangeParameters.ClientAssertionType];
        var clientId = form[TokenExchangeParameters.ClientId];

        var methods = (authorization.Count > 0 ? 1 : 0) + (secret is not null ? 1 : 0) + (assertion is not null || assertionType is not null ? 1 : 0);
        if (methods > 1)
        {
            return Fail(TokenExchangeError.InvalidRequest("The request uses more than one client authentication method (RFC 6749 §2.3)."));
        }

        if (authorization.Count > 0)
        {
            if (authorization.Count > 1 || !TryReadBasic(authorization.ToString(), out var basicId, out var basicSecret))
            {
                return Fail(TokenExchangeError.InvalidClient("The Authorization header is not valid HTTP Basic client authentication (RFC 6749 §2.3.1)."));
            }

            if (clientId is not null && !string.Equals(clientId, basicId, StringComparison.Ordinal))
            {
                return Fail(TokenExchangeError.InvalidRequest("The client_id parameter differs from the client authenticated by the Authorization header."));
            }

            return VerifySecret(basicId, basicSecret, "client_secret_basic");
        }

        if (secret is not null)
        {
            return clientId is null
                ? Fail(TokenExchangeError.InvalidClient("client_secret needs client_id (client_secret_post)."))
                : VerifySecret(clientId, secret, "client_secret_post");
        }

        if (assertion is not null || assertionType is not null)
        {
            if (!string.Equals(assertionType, TokenExchangeParameters.JwtBearerAssertionType, StringComparison.Ordinal) || assertion is null)
            {
                return Fail(TokenExchangeError.InvalidClient($"A client assertion needs client_assertion and client_assertion_type '{TokenExchangeParameters.JwtBearerAssertionType}' (RFC 7523 §2.2)."));
            }

            var (client, error) = await _assertions.ValidateAsync(assertion, clientId, _clients, cancellationToken).ConfigureAwait(false);
            return error is null ? new Outcome(client, "private_key_jwt", null) : Fail(error);
        }

        if (_anonymous is null)
        {
            return Fail(TokenExchangeError.InvalidClient("Client authentication is required: client_secret_basic, client_secret_post or private_key_jwt."));
        }

        // Note: a client_id without its credential is never read as anonymous: a registered client's restrictions
        // would be lost. An unknown id gets the same answer, so ids cannot be probed.
        return clientId is null
            ? new Outcome(_anonymous, "none", null)
            : Fail(TokenExchangeError.InvalidClient("Client authentication failed."));
    }

    private static Outcome Fail(TokenExchangeError error) => new(null, null, error);

    private Outcome VerifySecret(string clientId, string secret, string method)
    {
        _clients.TryGetValue(clientId, out var client);
        if (secret.Length > MaxSecretLength)
        {
            return Fail(TokenExchangeError.InvalidClient("Client authentication failed."));
        }

        // Note: an unknown client, or one without a secret, costs the same HMAC as a known one and reads the same.
        var hash = client?.Secret ?? ClientSecretHash.Decoy;
        if (hash.Matches(secret) && client?.Secret is not null)
        {
            return new Outcome(client, method, null);
        }

        return Fail(TokenExchangeError.InvalidClient("Client authentication failed."));
    }

    /// <summary>Reads <c>Basic base64(urlencode(id):urlencode(secret))</c> (RFC 6749 §2.3.1, RFC 7617).</summary>
    private static bool TryReadBasic(string header, out string clientId, out string secret)
    {
        clientId = secret = string.Empty;
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || value.Parameter is not { Length: > 0 and <= 4096 } parameter)
        {
            return false;
        }

        var bytes = new byte[parameter.Length];
        if (!Convert.TryFromBase64String(parameter, bytes, out var length))
        {
            return false;
        }

        var colon = Array.IndexOf(bytes, (byte)':', 0, length);
        if (colon <= 0)
        {
            return false;
        }

        if (TokenExchangeForm.Decode(bytes.AsSpan(0, colon)) is not { Length: > 0 } id
            || TokenExchangeForm.Decode(bytes.AsSpan(colon + 1, length - colon - 1)) is not { Length: > 0 } password)
        {
            return false;
        }

        clientId = id;
        secret = password;
        return true;
    }
}
