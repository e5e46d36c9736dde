using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace Consumer.App;

/// <summary>What a consumer writes: the token profile its partner needs.</summary>
public static class PartnerTokens
{
    public static IServiceCollection AddPartnerTokens(this IServiceCollection services, TokenSigningKey key) =>
        services.AddArrayScopeTokens(options =>
        {
            options.Issuer = "https://consumer.example";
            options.Audiences.Add("https://partner.example/token");
            options.SigningKeys = new SigningKeySet(key);
        });

    public static string IssueFor(IServiceProvider services, string scopes) =>
        services.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse(scopes), subject: "consumer-client");

    public static TokenSigningKey NewKey() => TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256);
}
