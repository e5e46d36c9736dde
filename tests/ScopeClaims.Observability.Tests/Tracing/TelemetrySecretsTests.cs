using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Http;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Observability.Tests.Infrastructure;
using ScopeClaims.Tests.Conversion;

namespace ScopeClaims.Observability.Tests.Tracing;

/// <summary>
/// Runs a broad set of hostile tokens (through the converter and through an API) and of partner failures with every
/// listener on, then proves that no tag, attribute, event or status text holds a token, a key parameter, the client
/// secret, a subject or a scope value.
/// </summary>
public class TelemetrySecretsTests
{
    private const string Subject = "client-1@clients";
    private const string ClientSecret = "s3cret-Value-That-Must-Stay-Home-42";
    private static readonly string[] Scopes = { "zz.scope:alpha", "zz.scope:beta" };

    [Fact]
    public async Task HostileTokensAndPartnerFailures_NoTelemetryValueHoldsASecret()
    {
        using var recorder = new TelemetryRecorder();
        var secrets = new List<string> { Subject, ClientSecret };
        secrets.AddRange(Scopes);
        secrets.AddRange(KeyParameters(SourceTokens.IssuerKey));
        secrets.AddRange(KeyParameters(GrantClient.Keys.Active));
        secrets.AddRange(KeyParameters(Hosts.OurKey));

        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        secrets.AddRange(KeyParameters(authority.Keys.Active));
        var hostile = HostileTokens(authority);
        secrets.AddRange(hostile);

        using (var host = Hosts.Converting(authority))
        {
            var converter = host.Services.GetRequiredService<IScopeTokenConverter>();
            foreach (var token in hostile)
            {
                try
                {
                    secrets.Add((await converter.ConvertAsync(token)).Token);
                }
                catch (TokenConversionException)
                {
                }
            }
        }

        await using (var api = await ProtectedApi.StartAsync())
        {
            foreach (var token in hostile)
            {
                await api.GetAsync("/read", token);
                await api.GetAsync("/write", token);
            }
        }

        await RunPartnerFailuresAsync(secrets);

        var values = recorder.Values.ToArray();
        Assert.Contains(values, v => v.Value == "algorithm_not_allowed");
        Assert.Contains(values, v => v.Value == "invalid_shape");
        Assert.Contains(values, v => v.Value == "invalid_client");
        Assert.Contains(values, v => v.Name == "scopeclaims.inbound_issuer");
        var checkedSecrets = secrets.Where(s => s.Length >= 8).Distinct().ToList();

        // Note: the check itself must catch a leak: a planted subject and a planted fragment of a token are found.
        Assert.NotNull(Leak(values.Append(("planted", "sub=" + Subject)).ToArray(), checkedSecrets));
        Assert.NotNull(Leak(values.Append(("planted", hostile[0][..40])).ToArray(), checkedSecrets));
        var leak = Leak(values, checkedSecrets);
        Assert.True(leak is null, $"The telemetry value '{leak}' holds a secret.");
    }

    /// <summary>The name of the first value that holds a secret, or a 16-character-plus part of one; else null.</summary>
    private static string? Leak((string Name, string Value)[] values, List<string> secrets)
    {
        foreach (var secret in secrets)
        {
            foreach (var (name, value) in values)
            {
                if (value.Contains(secret, StringComparison.Ordinal) || (value.Length >= 16 && secret.Contains(value, StringComparison.Ordinal)))
                {
                    return name;
                }
            }
        }

        return null;
    }

    private static List<string> HostileTokens(LoopbackAuthority authority)
    {
        string Payload(object scope, int expires = 600, string issuer = SourceTokens.Auth0, string audience = SourceTokens.Api) =>
            SourceTokens.Payload(scope, expiresInSeconds: expires, issuer: issuer, audience: audience);
        var header = SourceTokens.Header();
        var kid = SourceTokens.IssuerKey.KeyId;
        return new List<string>
        {
            SourceTokens.Sign(header, Payload(Scopes)),
            SourceTokens.Sign(header, Payload(string.Join(' ', Scopes))),
            authority.Token(string.Join(' ', Scopes)),
            SourceTokens.Sign(SourceTokens.Header(alg: "none"), Payload(Scopes)),
            SourceTokens.Encode(SourceTokens.Header(alg: "none")) + "." + SourceTokens.Encode(Payload(Scopes)) + ".",
            SourceTokens.Sign($$"""{"alg":"RS256","kid":"{{kid}}","crit":["zz"],"zz":1}""", Payload(Scopes)),
            SourceTokens.Sign($$"""{"alg":"RS256","kid":"{{kid}}","jku":"https://evil.test/jwks"}""", Payload(Scopes)),
            SourceTokens.Sign($$"""{"alg":"RS256","alg":"RS256","kid":"{{kid}}"}""", Payload(Scopes)),
            SourceTokens.Sign(header, Payload(Scopes, issuer: "https://evil.test/")),
            SourceTokens.Sign(header, Payload(Scopes, audience: "https://other.test")),
            SourceTokens.Sign(header, Payload(Scopes, expires: -600)),
            SourceTokens.Sign(header, Payload(Scopes), TokenSigningKey.Generate("RS256", kid)),
            SourceTokens.MacWith(System.Text.Encoding.UTF8.GetBytes(SourceTokens.IssuerKey.ToPublicJsonWebKey()!.N), SourceTokens.Header(alg: "HS256"), Payload(Scopes)),
            SourceTokens.Sign(header, Payload(new object[] { Scopes[0], new[] { Scopes[1] } })),
            SourceTokens.Sign(header, Payload(new[] { string.Join(' ', Scopes) })),
            SourceTokens.Sign(header, Payload(Scopes[0] + "\"\u0001")),
            SourceTokens.Sign(header, Payload(new string('x', 20_000))),
            "eyJ" + string.Join(".", Scopes) + "." + Subject,
        };
    }

    private static async Task RunPartnerFailuresAsync(List<string> secrets)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.RequiredAuthentication = ClientAuthenticationMethod.ClientSecretPost;
        partner.ExpectedSecret = "another-secret";
        var responders = new Func<IReadOnlyDictionary<string, string>, string, (int, string?, string)>?[]
        {
            null, // the partner's own check: invalid_client for the wrong secret
            (form, _) => (400, "application/json", JsonSerializer.Serialize(new { error = "invalid_grant", error_description = form["assertion"] + " " + form["client_secret"] })),
            (form, _) => (400, "application/json", JsonSerializer.Serialize(new { error = form["client_secret"] })),
            (form, _) => (500, "text/plain", form["assertion"]),
            (_, _) => (200, "application/json", """{"access_token":"pt_zzzzzzzzzzzzzzzzzzzz","token_type":"Bearer","expires_in":"soon"}"""),
        };
        foreach (var responder in responders)
        {
            partner.TokenResponder = responder;
            await using var provider = GrantClient.Build(partner, o =>
            {
                o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretPost;
                o.ClientSecret = ClientSecret;
                o.Scopes = ScopeSet.Parse(string.Join(' ', Scopes));
            });
            await Assert.ThrowsAnyAsync<JwtBearerGrantException>(() => provider.Client().GetAsync("appointments"));
        }

        secrets.Add(partner.ClientId);
        secrets.Add("pt_zzzzzzzzzzzzzzzzzzzz");
        secrets.AddRange(partner.Secrets);
    }

    /// <summary>Every parameter of the key's private JWK (n, e, d, p, q, dp, dq, qi, x, y, k) that is long enough to be told apart.</summary>
    private static IEnumerable<string> KeyParameters(TokenSigningKey key)
    {
        using var jwk = JsonDocument.Parse(key.ExportPrivateJwk());
        foreach (var member in jwk.RootElement.EnumerateObject())
        {
            if (member.Name is "n" or "e" or "d" or "p" or "q" or "dp" or "dq" or "qi" or "x" or "y" or "k" && member.Value.GetString() is { Length: >= 8 } value)
            {
                yield return value;
            }
        }
    }
}
