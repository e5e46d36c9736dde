using System;
using System.Collections.Generic;

namespace ScopeClaims.Http.Internal;

/// <summary>Checks a client's token-exchange options: a subject token provider, token types that are absolute URIs (RFC 8693 §3); the rest is shared.</summary>
internal sealed class TokenExchangeGrantOptionsValidator : TokenGrantOptionsValidator<TokenExchangeGrantOptions>
{
    public TokenExchangeGrantOptionsValidator(IServiceProvider services)
        : base(services)
    {
    }

    protected override string OptionsName => nameof(TokenExchangeGrantOptions);

    protected override TokenGrant CreateGrant(TokenExchangeGrantOptions options) => new TokenExchangeGrant(options);

    protected override void CheckGrant(List<string> failures, TokenExchangeGrantOptions options, string prefix, string client)
    {
        if (options.SubjectTokenProvider is null)
        {
            failures.Add($"{prefix}SubjectTokenProvider is required ({client}): it gives the token to exchange for each request (the caller's bearer token, say).");
        }

        if (!Uri.TryCreate(options.SubjectTokenType, UriKind.Absolute, out _))
        {
            failures.Add($"{prefix}SubjectTokenType must be an absolute URI such as {TokenExchangeGrantOptions.AccessTokenType} ({client}, RFC 8693 §3).");
        }

        if (options.RequestedTokenType is not null && !Uri.TryCreate(options.RequestedTokenType, UriKind.Absolute, out _))
        {
            failures.Add($"{prefix}RequestedTokenType must be an absolute URI such as {TokenExchangeGrantOptions.AccessTokenType}, or null ({client}, RFC 8693 §3).");
        }
    }
}
