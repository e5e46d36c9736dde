namespace ScopeClaims.Http.Internal;

/// <summary>Registered once per client name (keyed by it), so that a second <c>AddClientCredentialsGrant</c> on the same client adds configuration, not a second handler.</summary>
internal sealed class ClientCredentialsGrantRegistration
{
}
