using System;

namespace ScopeClaims.Cli.Internal;

/// <summary>One exchange: where, who, the subject token, and the optional audience and scopes.</summary>
internal sealed record ExchangeRequest(Uri Endpoint, string ClientId, string SubjectToken, string? Audience, string? Scope, ExchangeCredential Credential);
