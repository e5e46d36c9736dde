namespace ScopeClaims.Testing.Partner;

/// <summary>One request the <see cref="FakePartner"/>'s API received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path below <see cref="FakePartner.ApiBase"/>.</param>
/// <param name="Authorization">The Authorization header, as sent.</param>
/// <param name="Accepted"><see langword="true"/> when it carried a token this partner issued and has not revoked.</param>
public sealed record FakePartnerApiRequest(string Method, string Path, string? Authorization, bool Accepted);
