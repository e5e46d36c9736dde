using System;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Testing.Internal;

/// <summary>
/// Explains why Microsoft.IdentityModel refused a token's signature, from the exception type and the inspected header;
/// never from the exception's message, which may quote the token when PII logging is on. The claims are checked by
/// <see cref="TokenRules"/>, whose reasons are the kit's own.
/// </summary>
internal static class ValidationReason
{
    public static string Explain(Exception? exception, TokenInspection inspection)
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
            SecurityTokenInvalidSigningKeyException => "the key that verified the signature may not verify this token",
            SecurityTokenMalformedException => "Microsoft.IdentityModel cannot read the token",
            _ => "validation failed",
        };

        return exception is null ? reason : $"{reason} ({exception.GetType().Name}{IdentityModelCode(exception.Message)})";
    }

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
