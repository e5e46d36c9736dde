using System;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Cli.Internal;

/// <summary>Names why Microsoft.IdentityModel refused a token, with the reasons the converter uses.</summary>
internal static class ValidationFailures
{
    public static (TokenConversionFailure Reason, string Message) Classify(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => (TokenConversionFailure.Expired, "The token has expired."),
        SecurityTokenNotYetValidException => (TokenConversionFailure.NotYetValid, "The token is not yet valid (nbf is in the future)."),
        SecurityTokenNoExpirationException => (TokenConversionFailure.InvalidLifetime, "The token has no 'exp' claim."),
        SecurityTokenInvalidLifetimeException => (TokenConversionFailure.InvalidLifetime, "The token's lifetime is invalid (nbf after exp)."),
        SecurityTokenInvalidIssuerException => (TokenConversionFailure.WrongIssuer, "The token's issuer is not the one given with --issuer."),
        SecurityTokenInvalidAudienceException => (TokenConversionFailure.WrongAudience, "The token's audience is not the one given with --audience."),
        SecurityTokenInvalidAlgorithmException => (TokenConversionFailure.AlgorithmNotAllowed, "The token's algorithm is not one the JWKS keys name."),
        SecurityTokenInvalidSigningKeyException => (TokenConversionFailure.AlgorithmNotAllowed, exception.Message),
        SecurityTokenSignatureKeyNotFoundException => (TokenConversionFailure.UnknownKey, "No key of the JWKS matches the token's kid."),
        SecurityTokenInvalidSignatureException => (TokenConversionFailure.InvalidSignature, "The token's signature does not verify."),
        SecurityTokenMalformedException => (TokenConversionFailure.Malformed, "The token is malformed."),
        _ => (TokenConversionFailure.Invalid, "The token failed validation."),
    };
}
