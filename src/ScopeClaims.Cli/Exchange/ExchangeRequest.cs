using System;

namespace ScopeClaims.Cli.Internal;

/// <summary>One exchange: where, who, the subject token, the optional audience and scopes, and the deadline for the whole answer.</summary>
internal sealed record ExchangeRequest(Uri Endpoint, string ClientId, string SubjectToken, string? Audience, string? Scope, ExchangeCredential Credential, TimeSpan Timeout);
