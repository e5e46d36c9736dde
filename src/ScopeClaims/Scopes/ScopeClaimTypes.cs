using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>The claim types that carry scopes in the tokens of common issuers.</summary>
public static class ScopeClaimTypes
{
    /// <summary><c>scope</c>: RFC 8693 §4.2 and RFC 9068 §2.2.3 (a space-delimited string); Duende and ForgeRock write it as an array.</summary>
    public const string Scope = "scope";

    /// <summary><c>scp</c>: Okta and Ory Hydra (array), Microsoft Entra ID (space-delimited string).</summary>
    public const string Scp = "scp";

    /// <summary>The claim type .NET's inbound claim mapping gives <c>scp</c> when <c>MapInboundClaims</c> is on.</summary>
    public const string MicrosoftScope = "http://schemas.microsoft.com/identity/claims/scope";

    /// <summary>Gets the three claim types above, in the order they are read: <c>scope</c>, <c>scp</c>, the mapped <c>scp</c>.</summary>
    /// <value>The one list of scope claim types every ScopeClaims package reads and guards.</value>
    public static IReadOnlyList<string> All { get; } = [Scope, Scp, MicrosoftScope];
}
