// The root README's key service samples, compiled (column 0, as in the README). ReadmeSampleTests runs them and checks
// that every ```csharp block naming AwsKmsTokenSigner appears verbatim here or in AwsKmsTokenSigner.cs.
using Amazon.KeyManagementService;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims;

namespace ScopeClaims.KeyServices.Tests.Readme;

internal static class ReadmeSamples
{
    public static async Task RegisterAsync(IServiceCollection services, IAmazonKeyManagementService kms)
    {
var signer = await AwsKmsTokenSigner.CreateAsync(kms, "alias/partner-tokens", "ES256");
services.AddArrayScopeTokens(o =>
{
    o.Issuer = "https://issuer.example";
    o.Audiences.Add("https://partner.example");
    o.SigningKeys = new SigningKeySet(TokenSigningKey.FromSigner(signer));
});
    }

    public static async Task<string> IssueAsync(IScopeTokenIssuer issuer, CancellationToken cancellationToken)
    {
IssuedScopeToken issued = await issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a write:b")), cancellationToken);
        return issued.Token;
    }
}
