using System;
using static ScopeClaims.Internal.TokenValidationFailures;

namespace ScopeClaims.Testing.Internal;

/// <summary>
/// Explains why Microsoft.IdentityModel refused a token's signature, from the failure's <see cref="Kind"/> and the
/// inspected header, in the kit's words; never from the exception's message, which may quote the token when PII logging
/// is on. The claims are checked by <see cref="TokenRules"/>, whose reasons are the kit's own.
/// </summary>
internal static class ValidationReason
{
    public static string Explain(Exception? exception, TokenInspection inspection)
    {
        var reason = KindOf(exception) switch
        {
            Kind.None => "validation failed without a reason",
            Kind.InvalidSignature or Kind.KeyNotFound or Kind.InvalidAlgorithm when !inspection.IsSigned =>
                $"the token is not signed (alg {Failure.Quoted(inspection.Algorithm)}, or no signature)",
            Kind.InvalidSignature or Kind.KeyNotFound or Kind.InvalidAlgorithm when !TokenSigningAlgorithms.IsSupported(inspection.Algorithm) =>
                $"the alg {Failure.Quoted(inspection.Algorithm)} is not allowed (RS, PS, ES or HS with 256, 384 or 512 only)",
            Kind.KeyNotFound => $"no key in the set matches the token's kid {Failure.Quoted(inspection.KeyId)} and alg {Failure.Quoted(inspection.Algorithm)}",
            Kind.InvalidSignature => "the signature does not verify with the keys in the set",
            Kind.InvalidSigningKey => "the key that verified the signature may not verify this token",
            Kind.Malformed => "Microsoft.IdentityModel cannot read the token",
            _ => "validation failed",
        };

        // Note: only the type and the IDXnnnnn code of the exception are kept: they identify the failure without quoting anything.
        return exception is null ? reason : $"{reason} ({Diagnostic(exception)})";
    }
}
