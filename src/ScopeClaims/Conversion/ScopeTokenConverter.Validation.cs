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

    private static readonly TokenValidationFailures.Wording s_wording = new()
    {
        WrongIssuer = "The token's issuer is not accepted.",
        WrongAudience = "The token's audience is not one the inbound issuer allows.",
        AlgorithmNotAllowed = "The token's algorithm is not in the inbound issuer's allowlist.",
        UnknownKey = "No key of the inbound issuer matches the token's kid.",
        WrongTokenType = "The token's 'typ' is not one the inbound issuer allows.",
        KeysUnavailable = "The inbound issuer's keys could not be obtained (its OpenID Connect metadata or JWKS is unavailable or invalid).",
    };

    private static TokenConversionException Classify(Exception? exception, bool encrypted)
    {
        // Note: every failure to unwrap the key or decrypt reads the same, with no exception type or IDX code: telling a
        // key-unwrap failure from a ciphertext failure would be a padding oracle to whoever sees the message.
        if (encrypted && exception is SecurityTokenDecryptionFailedException or SecurityTokenKeyWrapException or SecurityTokenEncryptionFailedException)
        {
            return Refuse(TokenConversionFailure.Invalid, "The encrypted token could not be decrypted.");
        }

        // Note: Microsoft.IdentityModel's own exception is not attached: with PII logging on, its message can quote the
        // token. Its IDX code and type are kept for diagnosis.
        var (reason, message) = TokenValidationFailures.Classify(exception, s_wording);
        return Refuse(reason, exception is null ? message : $"{message} ({TokenValidationFailures.Diagnostic(exception)})");
    }
}
