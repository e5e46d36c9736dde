using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims.AspNetCore.Internal;

internal sealed partial class TokenExchangeEndpoint
{
    /// <summary>What a successful exchange yields.</summary>
    private readonly record struct Issued(ScopeTokenConversion Conversion, TokenExchangeTarget Target, ScopeSet? Requested, string TokenType);

    /// <summary>Checks the RFC 8693 §2.1 parameters and converts the subject token.</summary>
    private async Task<(Issued? Success, TokenExchangeError? Error)> ExchangeAsync(TokenExchangeForm form, RegisteredClient client, CancellationToken cancellationToken)
    {
        var grantType = form[TokenExchangeParameters.GrantType];
        if (grantType is null)
        {
            return Fail(TokenExchangeError.InvalidRequest("grant_type is required."));
        }

        if (!string.Equals(grantType, TokenExchangeParameters.TokenExchangeGrant, StringComparison.Ordinal))
        {
            return Fail(TokenExchangeError.UnsupportedGrantType($"This endpoint supports the grant type '{TokenExchangeParameters.TokenExchangeGrant}' only."));
        }

        var subjectToken = form[TokenExchangeParameters.SubjectToken];
        var subjectTokenType = form[TokenExchangeParameters.SubjectTokenType];
        if (subjectToken is null || subjectTokenType is null)
        {
            return Fail(TokenExchangeError.InvalidRequest("subject_token and subject_token_type are required (RFC 8693 §2.1)."));
        }

        if (subjectTokenType is not (TokenExchangeParameters.AccessTokenType or TokenExchangeParameters.JwtTokenType))
        {
            return Fail(TokenExchangeError.InvalidRequest($"subject_token_type must be '{TokenExchangeParameters.AccessTokenType}' or '{TokenExchangeParameters.JwtTokenType}'."));
        }

        var requestedType = form[TokenExchangeParameters.RequestedTokenType] ?? TokenExchangeParameters.AccessTokenType;
        if (requestedType is not (TokenExchangeParameters.AccessTokenType or TokenExchangeParameters.JwtTokenType))
        {
            return Fail(TokenExchangeError.InvalidRequest($"requested_token_type must be '{TokenExchangeParameters.AccessTokenType}' or '{TokenExchangeParameters.JwtTokenType}': this endpoint issues signed JWT access tokens."));
        }

        var (target, audiences, targetError) = SelectTarget(form[TokenExchangeParameters.Audience], form[TokenExchangeParameters.Resource], client);
        if (targetError is not null)
        {
            return Fail(targetError);
        }

        ScopeSet? requested = null;
        if (form[TokenExchangeParameters.Scope] is { } scope)
        {
            // Note: RFC 6749 §3.3 joins scope tokens by single spaces; ScopeSet.TryParse is lenient about spacing.
            if (scope[0] == ' ' || scope[^1] == ' ' || scope.Contains("  ", StringComparison.Ordinal) || !ScopeSet.TryParse(scope, out var parsed) || parsed.IsEmpty)
            {
                return Fail(TokenExchangeError.InvalidScope("scope is not a space-delimited list of valid scope tokens (RFC 6749 §3.3)."));
            }

            if (!parsed.IsSubsetOf(client.Scopes))
            {
                return Fail(TokenExchangeError.InvalidScope(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The client may not obtain {parsed.Count(s => !client.Scopes.Contains(s))} of the requested scope(s).")));
            }

            requested = parsed;
        }

        var request = new ScopeTokenConversionRequest { Scopes = requested, AllowedScopes = client.Scopes, Audiences = audiences };
        try
        {
            var conversion = await target!.Converter.ConvertAsync(subjectToken, request, cancellationToken).ConfigureAwait(false);
            return (new Issued(conversion, target, requested, requestedType), null);
        }
        catch (TokenConversionException ex) when (ex.Reason == TokenConversionFailure.ScopeNotGranted)
        {
            return Fail(TokenExchangeError.InvalidScope(requested is null
                ? "The subject token grants none of the scopes this client may obtain; no token without scopes is issued."
                : "The subject token does not grant every requested scope: " + ex.Message));
        }
        catch (TokenConversionException ex) when (ex.Reason == TokenConversionFailure.AudienceNotAllowed)
        {
            return Fail(TokenExchangeError.InvalidTarget("The target profile does not list the requested audience: " + ex.Message));
        }
        catch (TokenConversionException ex)
        {
            return Fail(TokenExchangeError.InvalidGrant($"The subject token was refused ({ex.Reason}): {ex.Message}"));
        }
        catch (NotSupportedException)
        {
            return Fail(TokenExchangeError.InvalidTarget("The converter of this target cannot narrow a conversion's scopes or audience."));
        }
    }

    /// <summary>Selects the target from <c>audience</c> and <c>resource</c> (RFC 8693 §2.1, RFC 8707 §2) and the audiences of the new token.</summary>
    private (TokenExchangeTarget? Target, IReadOnlyList<string>? Audiences, TokenExchangeError? Error) SelectTarget(string? audience, string? resource, RegisteredClient client)
    {
        if (resource is not null && (!HasScheme(resource) || !Uri.TryCreate(resource, UriKind.Absolute, out _) || resource.Contains('#', StringComparison.Ordinal)))
        {
            return (null, null, TokenExchangeError.InvalidTarget("resource must be an absolute URI without a fragment (RFC 8707 §2)."));
        }

        string[] named = audience is null ? resource is null ? [] : [resource] : resource is null || resource == audience ? [audience] : [audience, resource];
        if (named.Length == 0)
        {
            if (_targets.Count != 1)
            {
                return (null, null, TokenExchangeError.InvalidRequest("audience or resource is required: this endpoint issues tokens for several targets."));
            }

            var only = _targets[0];

            // Note: the new token names only the target's audiences this client may address.
            var allowed = only.Audiences.Where(client.Audiences.Contains).ToArray();
            return allowed.Length == 0
                ? (null, null, TokenExchangeError.InvalidTarget("The client may not request a token for this endpoint's target."))
                : (only, allowed, null);
        }

        TokenExchangeTarget? target = null;
        foreach (var value in named)
        {
            if (!_byAudience.TryGetValue(value, out var found))
            {
                return (null, null, TokenExchangeError.InvalidTarget("The requested audience or resource is not one this endpoint issues tokens for."));
            }

            if (target is not null && !ReferenceEquals(found, target))
            {
                return (null, null, TokenExchangeError.InvalidTarget("audience and resource name different targets."));
            }

            if (!client.Audiences.Contains(value))
            {
                return (null, null, TokenExchangeError.InvalidTarget("The client may not request a token for the requested audience or resource."));
            }

            target = found;
        }

        return (target, named, null);
    }

    /// <summary>Whether a value starts with an RFC 3986 §3.1 scheme and its colon (.NET reads "/path" as a file URI on Unix).</summary>
    private static bool HasScheme(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(value[i]) || value[i] is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static (Issued?, TokenExchangeError?) Fail(TokenExchangeError error) => (null, error);
}
