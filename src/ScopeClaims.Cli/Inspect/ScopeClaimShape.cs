namespace ScopeClaims.Cli.Internal;

/// <summary>A scope claim found in a token, and its JSON shape: <c>string</c>, <c>array</c>, or what it wrongly is.</summary>
internal readonly record struct ScopeClaimShape(string Name, string Shape);
