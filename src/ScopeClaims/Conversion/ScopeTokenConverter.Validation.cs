using System;
using System.Linq;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

// Validation around Microsoft.IdentityModel's: which inbound issuer a token is routed to, the refusal of our own tokens,
// and how a failed validation is classified.
public sealed partial class ScopeTokenConverter
{
    private static bool HasKey(SecurityKey[] keys, string kid)
    {
        foreach (var key in keys)
        {
            if (string.Equals(key.KeyId, kid, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>RFC 7515 §4.1.9: <c>typ</c> is a media type, compared case-insensitively, with <c>application/</c> optional.</summary>
    private static string MediaType(string type)
    {
        var value = type.AsSpan().Trim();
        if (value.StartsWith("application/", StringComparison.OrdinalIgnoreCase))
        {
            value = value["application/".Length..];
        }

        return value.ToString();
    }

    private void RefuseOwnToken(SourceToken source)
    {
        if (source.KeyId is { } kid)
        {
            foreach (var key in _issuer.Keys.Keys)
            {
                if (string.Equals(key.KeyId, kid, StringComparison.Ordinal))
                {
                    throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token is signed with one of our own keys; a converted token is never converted again.");
                }
            }
        }

        if (_ownType is not null && source.Type is { } type && string.Equals(MediaType(type), _ownType, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token has our own 'typ'; a converted token is never converted again.");
        }
    }

    private InboundIssuer ResolveIssuer(SourceToken source, PayloadFacts facts)
    {
        RefuseOwnToken(source);
        if (source.Encrypted)
        {
            // JWE: the issuer is only known after decryption; accept it only when a single inbound issuer is configured.
            return _inbound.Count == 1
                ? _inbound.Values.First()
                : throw Refuse(TokenConversionFailure.WrongIssuer, "An encrypted token can only be converted when exactly one inbound issuer is configured.");
        }

        var issuer = facts.Issuer ?? throw Refuse(TokenConversionFailure.WrongIssuer, facts.IssuerProblem!);
        if (string.Equals(issuer, _issuer.Issuer, StringComparison.Ordinal))
        {
            throw Refuse(TokenConversionFailure.ReplayedOwnToken, "The token was issued by our own issuer; a converted token is never converted again.");
        }

        return _inbound.TryGetValue(issuer, out var inbound)
            ? inbound
            : throw Refuse(TokenConversionFailure.WrongIssuer, "The token's issuer is not a configured inbound issuer (ScopeTokenConverterOptions.Issuers).");
    }

    private static TokenConversionException Classify(Exception? exception)
    {
        var (reason, message) = exception switch
        {
            SecurityTokenExpiredException => (TokenConversionFailure.Expired, "The token has expired."),
            SecurityTokenNotYetValidException => (TokenConversionFailure.NotYetValid, "The token is not yet valid (nbf is in the future)."),
            SecurityTokenNoExpirationException => (TokenConversionFailure.InvalidLifetime, "The token has no 'exp' claim."),
            SecurityTokenInvalidLifetimeException => (TokenConversionFailure.InvalidLifetime, "The token's lifetime is invalid (nbf after exp)."),
            SecurityTokenInvalidIssuerException => (TokenConversionFailure.WrongIssuer, "The token's issuer is not accepted."),
            SecurityTokenInvalidAudienceException => (TokenConversionFailure.WrongAudience, "The token's audience is not one the inbound issuer allows."),
            SecurityTokenInvalidAlgorithmException => (TokenConversionFailure.AlgorithmNotAllowed, "The token's algorithm is not in the inbound issuer's allowlist."),
            SecurityTokenInvalidTypeException => (TokenConversionFailure.WrongTokenType, "The token's 'typ' is not one the inbound issuer allows."),
            SecurityTokenSignatureKeyNotFoundException => (TokenConversionFailure.UnknownKey, "No key of the inbound issuer matches the token's kid."),
            SecurityTokenInvalidSigningKeyException => (TokenConversionFailure.AlgorithmNotAllowed, exception.Message),
            SecurityTokenInvalidSignatureException => (TokenConversionFailure.InvalidSignature, "The token's signature does not verify."),
            SecurityTokenDecryptionFailedException => (TokenConversionFailure.Invalid, "The encrypted token could not be decrypted."),
            SecurityTokenMalformedException => (TokenConversionFailure.Malformed, "The token is malformed."),
            InvalidOperationException or System.Net.Http.HttpRequestException or System.IO.IOException
                => (TokenConversionFailure.KeysUnavailable, "The inbound issuer's keys could not be obtained (its OpenID Connect metadata or JWKS is unavailable or invalid)."),
            _ => (TokenConversionFailure.Invalid, "The token failed validation."),
        };

        // Note: Microsoft.IdentityModel's own exception is not attached: with PII logging on, its message can quote the
        // token. Its IDX code and type are kept for diagnosis.
        return Refuse(reason, exception is null ? message : $"{message} ({exception.GetType().Name}{IdentityModelCode(exception.Message)})");
    }

    private static string IdentityModelCode(string message) =>
        message.StartsWith("IDX", StringComparison.Ordinal) && message.Length >= 8 ? ", " + message[..8] : string.Empty;

}
