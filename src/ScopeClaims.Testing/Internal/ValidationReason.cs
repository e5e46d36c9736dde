using System;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Testing.Internal;

/// <summary>Explains why Microsoft.IdentityModel refused a token, from the exception type and the inspected claims; never from the exception's message, which may quote the token when PII logging is on.</summary>
internal static class ValidationReason
{
    public static string Explain(Exception? exception, TokenInspection inspection, string? issuer, string? audience, DateTimeOffset now)
    {
        var reason = exception switch
        {
            null => "validation failed without a reason",
            SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException when !inspection.IsSigned =>
                $"the token is not signed (alg {Failure.Quoted(inspection.Algorithm)}, or no signature)",
            SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException when !TokenSigningAlgorithms.IsSupported(inspection.Algorithm) =>
                $"the alg {Failure.Quoted(inspection.Algorithm)} is not allowed (RS, PS, ES or HS with 256, 384 or 512 only)",
            SecurityTokenSignatureKeyNotFoundException => $"no key in the set matches the token's kid {Failure.Quoted(inspection.KeyId)} and alg {Failure.Quoted(inspection.Algorithm)}",
            SecurityTokenInvalidSignatureException => "the signature does not verify with the keys in the set",
            SecurityTokenExpiredException => $"the token expired at {When(inspection.ExpiresAt)}; now is {Failure.Time(now)}",
            SecurityTokenNotYetValidException => $"the token is not valid before {When(inspection.NotBefore)}; now is {Failure.Time(now)}",
            SecurityTokenNoExpirationException => "the token has no 'exp' claim",
            SecurityTokenInvalidLifetimeException => $"the lifetime is invalid: nbf {When(inspection.NotBefore)}, exp {When(inspection.ExpiresAt)}",
            SecurityTokenInvalidIssuerException => $"'iss' is {Claim(inspection, "iss")}, not {Failure.Quoted(issuer)}",
            SecurityTokenInvalidAudienceException => $"'aud' is {Claim(inspection, "aud")}, which does not name {Failure.Quoted(audience)}",
            _ when NonNumericDate(inspection) is { } name => $"'{name}' is {Claim(inspection, name)}, not a number of seconds (RFC 7519 §2 NumericDate)",
            _ => "validation failed",
        };

        return exception is null ? reason : $"{reason} ({exception.GetType().Name}{IdentityModelCode(exception.Message)})";
    }

    /// <summary>RFC 7519 §4.1.4 and §4.1.5 with no clock skew: valid from <c>nbf</c> (inclusive) until <c>exp</c> (exclusive).</summary>
    public static bool CheckLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset now)
    {
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiration time.");
        }

        if (notBefore is { } nbf && nbf >= exp)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's not-before time is not earlier than its expiration time.");
        }

        if (notBefore is { } start && now.UtcDateTime < start)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.");
        }

        if (now.UtcDateTime >= exp)
        {
            throw new SecurityTokenExpiredException("The token has expired.");
        }

        return true;
    }

    private static string? NonNumericDate(TokenInspection inspection) =>
        Array.Find(["exp", "nbf", "iat"], name => inspection.HasClaim(name) && inspection.Payload.GetProperty(name).ValueKind != JsonValueKind.Number);

    private static string When(DateTimeOffset? value) => value is { } time ? Failure.Time(time) : "(none)";

    private static string Claim(TokenInspection inspection, string name) =>
        inspection.HasClaim(name) ? JsonText.Shorten(inspection.Payload.GetProperty(name).GetRawText()) : "absent";

    // Only the IDXnnnnn code of the message is kept: it identifies the failure without quoting anything.
    private static string IdentityModelCode(string message)
    {
        if (message.Length >= 8 && message.StartsWith("IDX", StringComparison.Ordinal))
        {
            var end = 3;
            while (end < message.Length && char.IsAsciiDigit(message[end]))
            {
                end++;
            }

            if (end > 3)
            {
                return ", " + message[..end];
            }
        }

        return string.Empty;
    }
}
