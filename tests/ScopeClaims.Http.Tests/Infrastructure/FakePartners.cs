using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Testing;
using ScopeClaims.Testing.Partner;

namespace ScopeClaims.Http.Tests.Infrastructure;

/// <summary>The strict fake partner of ScopeClaims.Testing.Partner, and client hosts wired to it.</summary>
internal static class FakePartners
{
    public const string ClientId = "fake-client";
    public const string Secret = "fake-partner-client-secret-value";
    public const string Name = "partner";

    /// <summary>The client's ES256 key: signs client assertions (and JWT-bearer assertions); the partner holds its public JWKS.</summary>
    public static readonly TokenSigningKey Key = TestSigningKeys.Create("ES256", "fake-client-key");

    public static Task<FakePartner> StartAsync(Action<FakePartnerOptions>? configure = null)
    {
        var options = new FakePartnerOptions { ClientId = ClientId, ClientJwks = TestSigningKeys.ExportPublicJwks(Key) };
        configure?.Invoke(options);
        return FakePartner.StartAsync(options);
    }

    /// <summary>A partner that takes the client-credentials grant with the given client authentication.</summary>
    public static Task<FakePartner> StartClientCredentialsAsync(ClientAuthenticationMethod method, Action<FakePartnerOptions>? configure = null) =>
        StartAsync(o =>
        {
            o.GrantTypes.Clear();
            o.GrantTypes.Add(FakePartnerOptions.ClientCredentialsGrantType);
            o.ClientAuthentication = Map(method);
            o.ClientSecret = method is ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost ? Secret : null;
            configure?.Invoke(o);
        });

    public static FakePartnerClientAuthentication Map(ClientAuthenticationMethod method) => method switch
    {
        ClientAuthenticationMethod.ClientSecretBasic => FakePartnerClientAuthentication.ClientSecretBasic,
        ClientAuthenticationMethod.ClientSecretPost => FakePartnerClientAuthentication.ClientSecretPost,
        ClientAuthenticationMethod.PrivateKeyJwt => FakePartnerClientAuthentication.PrivateKeyJwt,
        _ => FakePartnerClientAuthentication.None,
    };

    /// <summary>A client host: the default ScopeClaims profile holds <see cref="Key"/>; <paramref name="grant"/> adds the grant to the "partner" client.</summary>
    public static ServiceProvider Build(FakePartner partner, Action<IHttpClientBuilder> grant, Action<IServiceCollection>? services = null, LogSink? logs = null, bool profile = true)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        if (profile)
        {
            collection.AddArrayScopeTokens(o =>
            {
                o.Issuer = ClientId;
                o.Audiences.Add(partner.TokenEndpoint.AbsoluteUri);
                o.SigningKey.Jwk = Key.ExportPrivateJwk();
            });
        }

        grant(collection.AddHttpClient(Name, c => c.BaseAddress = partner.ApiBase));
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A client-credentials client of <paramref name="partner"/>, with the secret when the method takes one.</summary>
    public static ServiceProvider BuildClientCredentials(FakePartner partner, ClientAuthenticationMethod method, Action<ClientCredentialsGrantOptions>? configure = null, Action<IServiceCollection>? services = null, LogSink? logs = null) =>
        Build(partner, b => b.AddClientCredentialsGrant(o =>
        {
            o.TokenEndpoint = partner.TokenEndpoint;
            o.ClientId = ClientId;
            o.ClientAuthentication = method;
            o.ClientSecret = method is ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost ? Secret : null;
            o.Scopes = ScopeSet.Parse("invoices:read invoices:write");
            configure?.Invoke(o);
        }), services, logs, profile: method == ClientAuthenticationMethod.PrivateKeyJwt);

    /// <summary>A partner that takes the token exchange with the given client authentication and accepts <paramref name="subjects"/>.</summary>
    public static Task<FakePartner> StartTokenExchangeAsync(ClientAuthenticationMethod method, params string[] subjects) =>
        StartAsync(o =>
        {
            o.GrantTypes.Clear();
            o.GrantTypes.Add(FakePartnerOptions.TokenExchangeGrantType);
            o.ClientAuthentication = Map(method);
            o.ClientSecret = method is ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost ? Secret : null;
            foreach (var subject in subjects)
            {
                o.SubjectTokens.Add(subject);
            }
        });

    /// <summary>
    /// A token-exchange client of <paramref name="partner"/> whose subject token is the request's <c>X-Subject</c>
    /// header (a stand-in for the caller's bearer token), with the secret when the method takes one.
    /// </summary>
    public static ServiceProvider BuildTokenExchange(FakePartner partner, ClientAuthenticationMethod method, Action<TokenExchangeGrantOptions>? configure = null, Action<IServiceCollection>? services = null, LogSink? logs = null) =>
        Build(partner, b => b.AddTokenExchangeGrant(o =>
        {
            o.TokenEndpoint = partner.TokenEndpoint;
            o.ClientId = ClientId;
            o.ClientAuthentication = method;
            o.ClientSecret = method is ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost ? Secret : null;
            o.Audience = "orders-api";
            o.SubjectTokenProvider = static (_, request, _) =>
                new(request.Headers.TryGetValues("X-Subject", out var values) ? values.Single() : null);
            configure?.Invoke(o);
        }), services, logs, profile: method == ClientAuthenticationMethod.PrivateKeyJwt);

    /// <summary>A GET whose subject token is <paramref name="subject"/>.</summary>
    public static async Task<HttpResponseMessage> GetAsSubjectAsync(this HttpClient client, string path, string subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Subject", subject);
        return await client.SendAsync(request);
    }

    /// <summary>A JWT subject token (signed by some other issuer) that expires in <paramref name="expiresIn"/>.</summary>
    public static string SubjectJwt(TimeSpan expiresIn)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://idp.example",
            Audience = "gateway",
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "user-" + Guid.NewGuid().ToString("N"))]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + expiresIn,
            SigningCredentials = SubjectKey.Credentials,
        });
    }

    private static readonly TokenSigningKey SubjectKey = TestSigningKeys.Create("ES256", "idp-key");

    /// <summary>Validates a client assertion as the server side does (RFC 7523 §3), with Microsoft.IdentityModel; returns the token.</summary>
    public static async Task<JsonWebToken> ValidateClientAssertionAsync(string assertion, string audience)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = ClientId,
            ValidAudience = audience,
            IssuerSigningKey = Key.ToPublicJsonWebKey(),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.Zero,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }
}
