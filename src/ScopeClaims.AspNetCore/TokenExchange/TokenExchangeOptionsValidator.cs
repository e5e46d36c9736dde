using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>Checks <see cref="TokenExchangeOptions"/> and reports every problem at once, each naming its option; never quotes a secret, a hash or a key.</summary>
internal sealed class TokenExchangeOptionsValidator : IValidateOptions<TokenExchangeOptions>
{
    private const int MinBodySize = 1024;
    private const int MaxBodySize = 1024 * 1024;
    private const int MaxReplayKeyPrefixLength = 64;

    /// <summary>The name anonymous requests go by in log lines.</summary>
    public const string AnonymousClientId = "(anonymous)";
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, TokenExchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ReadClients(options, failures);

        if (options.Clients.Count == 0 && !options.AllowAnonymousClients)
        {
            failures.Add("TokenExchangeOptions.Clients is empty and AllowAnonymousClients is off: no request could ever be served. Register a client, or opt in to anonymous exchange explicitly.");
        }

        ReadAnonymous(options, failures);

        if (options.MaxRequestBodySize < MinBodySize || options.MaxRequestBodySize > MaxBodySize)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"TokenExchangeOptions.MaxRequestBodySize ({options.MaxRequestBodySize}) must be between {MinBodySize} and {MaxBodySize} bytes."));
        }

        if (options.TokenEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("https" or "http") || endpoint.Fragment.Length > 0 || endpoint.Query.Length > 0))
        {
            failures.Add("TokenExchangeOptions.TokenEndpoint must be an absolute http(s) URL without query or fragment.");
        }

        if (options.MaxClientAssertionLifetime < TimeSpan.FromSeconds(1) || options.MaxClientAssertionLifetime > MaxAssertionLifetime)
        {
            failures.Add("TokenExchangeOptions.MaxClientAssertionLifetime must be between 1 second and 1 hour.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxSkew)
        {
            failures.Add("TokenExchangeOptions.ClockSkew must be between 0 and 5 minutes.");
        }

        if (options.ReplayKeyPrefix is not { Length: > 0 and <= MaxReplayKeyPrefixLength } prefix || prefix.Any(static c => c is <= ' ' or > '~'))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"TokenExchangeOptions.ReplayKeyPrefix must be 1 to {MaxReplayKeyPrefixLength} printable ASCII characters without spaces."));
        }

        for (var i = 0; i < options.Converters.Count; i++)
        {
            if (options.Converters[i] is null)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"TokenExchangeOptions.Converters[{i}] is null."));
            }
        }

        if (options.Converters.Distinct(StringComparer.Ordinal).Count() != options.Converters.Count)
        {
            failures.Add("TokenExchangeOptions.Converters names a converter twice.");
        }

        if (options.RateLimiterPolicy is { } policy && string.IsNullOrWhiteSpace(policy))
        {
            failures.Add("TokenExchangeOptions.RateLimiterPolicy is blank; set a policy name or null.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The allowlists of anonymous requests, when they are allowed; a failure for each problem.</summary>
    public static RegisteredClient? ReadAnonymous(TokenExchangeOptions options, List<string> failures)
    {
        if (!options.AllowAnonymousClients)
        {
            if (options.AnonymousAllowedAudiences.Count > 0 || options.AnonymousAllowedScopes.Count > 0)
            {
                failures.Add("TokenExchangeOptions.AnonymousAllowedAudiences and AnonymousAllowedScopes are set but AllowAnonymousClients is off; turn it on or clear them.");
            }

            return null;
        }

        var count = failures.Count;
        if (options.AnonymousAllowedAudiences.Count == 0 || options.AnonymousAllowedAudiences.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("TokenExchangeOptions.AnonymousAllowedAudiences needs at least one audience, none blank, when AllowAnonymousClients is on.");
        }

        var scopes = ScopeSet.Empty;
        if (options.AnonymousAllowedScopes.Count == 0)
        {
            failures.Add("TokenExchangeOptions.AnonymousAllowedScopes needs at least one scope when AllowAnonymousClients is on.");
        }
        else
        {
            try
            {
                scopes = ScopeSet.Create(options.AnonymousAllowedScopes);
            }
            catch (ScopeFormatException ex)
            {
                failures.Add($"TokenExchangeOptions.AnonymousAllowedScopes: {ex.Message}");
            }
        }

        return failures.Count == count
            ? new RegisteredClient(AnonymousClientId, null, null, new HashSet<string>(options.AnonymousAllowedAudiences, StringComparer.Ordinal), scopes)
            : null;
    }

    /// <summary>Reads every client, adding a failure for each problem; the clients read when there is none.</summary>
    public static Dictionary<string, RegisteredClient> ReadClients(TokenExchangeOptions options, List<string> failures)
    {
        var clients = new Dictionary<string, RegisteredClient>(StringComparer.Ordinal);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"TokenExchangeOptions.Clients[{i}]");
            if (options.Clients[i] is not { } client)
            {
                failures.Add($"{at} is null.");
                continue;
            }

            if (ReadClient(client, at, failures) is { } read && !clients.TryAdd(read.Id, read))
            {
                failures.Add($"{at}.ClientId '{read.Id}' is registered twice.");
            }
        }

        return clients;
    }

    private static RegisteredClient? ReadClient(TokenExchangeClient client, string at, List<string> failures)
    {
        var count = failures.Count;
        if (string.IsNullOrEmpty(client.ClientId) || client.ClientId.Any(char.IsControl) || client.ClientId.Contains(':', StringComparison.Ordinal))
        {
            // Note: RFC 6749 §2.3.1 form-encodes the id in Basic, so a colon would be legal; refusing it keeps every
            // client usable with every method (and with clients that forget to encode).
            failures.Add($"{at}.ClientId is required, without control characters or ':'.");
        }

        if ((client.SecretHash is null) == (client.JwksJson is null))
        {
            failures.Add($"{at} needs exactly one credential: SecretHash (client_secret_basic/post) or JwksJson (private_key_jwt).");
        }

        ClientSecretHash? secret = null;
        if (client.SecretHash is not null)
        {
            secret = ClientSecretHash.TryParse(client.SecretHash, out var problem);
            if (secret is null)
            {
                failures.Add($"{at}.SecretHash {problem}.");
            }
        }

        IReadOnlyList<JsonWebKey>? keys = null;
        if (client.JwksJson is not null)
        {
            keys = ReadKeys(client.JwksJson, at, failures);
        }

        if (client.AllowedAudiences.Count == 0 || client.AllowedAudiences.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{at}.AllowedAudiences needs at least one audience, none blank.");
        }

        var scopes = ScopeSet.Empty;
        if (client.AllowedScopes.Count == 0)
        {
            failures.Add($"{at}.AllowedScopes needs at least one scope.");
        }
        else
        {
            try
            {
                scopes = ScopeSet.Create(client.AllowedScopes);
            }
            catch (ScopeFormatException ex)
            {
                failures.Add($"{at}.AllowedScopes: {ex.Message}");
            }
        }

        return failures.Count == count
            ? new RegisteredClient(client.ClientId!, secret, keys, new HashSet<string>(client.AllowedAudiences, StringComparer.Ordinal), scopes)
            : null;
    }

    private static JsonWebKey[]? ReadKeys(string json, string at, List<string> failures)
    {
        var result = StrictJwks.Read(json, StrictJwks.PrivateKeys.Refuse);
        if (!result.IsValid)
        {
            failures.Add($"{at}.JwksJson is refused: {result.Message}");
            return null;
        }

        // Note: each key must be able to verify at least one allowed algorithm (RSA of 2048 bits or more, EC on its own curve).
        for (var k = 0; k < result.Keys.Count; k++)
        {
            var key = result.Keys[k];
            var usable = key.Alg is { Length: > 0 } alg
                ? KeyAlgorithmBinding.Check(key, alg) is null && Array.IndexOf(ClientAssertionValidator.Algorithms, alg) >= 0
                : Array.Exists(ClientAssertionValidator.Algorithms, a => KeyAlgorithmBinding.Check(key, a) is null);
            if (!usable)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.JwksJson key {k} can verify none of {string.Join(", ", ClientAssertionValidator.Algorithms)} (RSA keys need 2048 bits or more; EC keys P-256, P-384 or P-521)."));
                return null;
            }
        }

        return [.. result.Keys];
    }
}
