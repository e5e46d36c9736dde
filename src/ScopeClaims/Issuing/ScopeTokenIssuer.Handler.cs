using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

// The reference path: Microsoft.IdentityModel's JsonWebTokenHandler, for claim values the fast path does not write and
// as the reference the fast path is tested against.
public sealed partial class ScopeTokenIssuer
{
    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };

    private static string NewJwtId() => Base64UrlEncoder.Encode(JwtIdRandom.Next().ToArray());

    private string IssueWithDescriptor(ScopeTokenRequest request, IReadOnlyList<string> audiences, DateTimeOffset now, DateTimeOffset expires, TokenSigningKey key) =>
        s_handler.CreateToken(Describe(request, audiences, now, expires, key.Credentials));

    /// <summary>
    /// The base64url payload Microsoft.IdentityModel writes for a request, for a key held by a <see cref="TokenSigner"/>:
    /// the handler writes the token unsigned, and only its payload segment is kept; the header is the issuer's own.
    /// </summary>
    private string PayloadWithDescriptor(in Prepared prepared)
    {
        var unsigned = s_handler.CreateToken(Describe(prepared.Request, prepared.Audiences, prepared.Now, prepared.Expires, credentials: null));
        var first = unsigned.IndexOf('.', StringComparison.Ordinal);
        var second = unsigned.IndexOf('.', first + 1);
        return unsigned.Substring(first + 1, second - first - 1);
    }

    private SecurityTokenDescriptor Describe(ScopeTokenRequest request, IReadOnlyList<string> audiences, DateTimeOffset now, DateTimeOffset expires, SigningCredentials? credentials)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        if (request.Claims is not null)
        {
            foreach (var (name, value) in request.Claims)
            {
                claims[name] = value;
            }
        }

        claims[JwtRegisteredClaimNames.Aud] = audiences.Count == 1 ? audiences[0] : audiences.ToList();
        if (request.Subject is not null)
        {
            claims[JwtRegisteredClaimNames.Sub] = request.Subject;
        }

        if (_includeJwtId)
        {
            claims[JwtRegisteredClaimNames.Jti] = NewJwtId();
        }

        WriteScopeClaims(request.Scopes, claims);
        return new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            TokenType = _tokenType,
            SigningCredentials = credentials,
            Claims = claims,
        };
    }

    /// <summary>
    /// Lets the serializer write into a dictionary of its own, then copies only what it declared: it cannot read, replace
    /// or remove the token's other claims, and a write to any other name fails the whole issue.
    /// </summary>
    private void WriteScopeClaims(ScopeSet scopes, Dictionary<string, object> claims)
    {
        var written = new Dictionary<string, object>(StringComparer.Ordinal);
        _serializer.WriteClaims(scopes, written);
        foreach (var (name, value) in written)
        {
            if (Array.IndexOf(_serializerClaims, name) < 0)
            {
                throw new InvalidOperationException($"The scope serializer {_serializer.GetType().Name} wrote the claim '{name}', which is not one of its ClaimNames ({string.Join(", ", _serializerClaims)}); nothing was issued.");
            }

            if (value is null)
            {
                throw new InvalidOperationException($"The scope serializer {_serializer.GetType().Name} wrote null for the claim '{name}'; nothing was issued.");
            }
        }

        foreach (var (name, value) in written)
        {
            // Note: declared names are never reserved, and extra claims naming them are refused, so nothing is overwritten.
            claims[name] = value;
        }
    }
}
