namespace ScopeClaims.Cli.Internal;

/// <summary>
/// A scope claim found in a token, as <c>inspect</c> reports it: its name and JSON shape, <c>array</c> or
/// <c>space-delimited</c> (the <c>--format</c> values), or what it wrongly is (<c>number</c>, <c>object</c>, ...).
/// </summary>
internal readonly record struct ScopeClaimReport(string Name, string Shape);
