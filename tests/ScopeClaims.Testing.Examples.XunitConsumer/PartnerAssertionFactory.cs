using ScopeClaims;

namespace MyApp;

/// <summary>Stands in for the consumer's own code under test: it builds the RFC 7523 assertion a partner requires.</summary>
public sealed class PartnerAssertionFactory(IScopeTokenIssuer issuer)
{
    public string Create(string clientId) => issuer.Issue(ScopeSet.Parse("read:appointments read:msg"), subject: clientId);
}
