using System;
using System.IO;
using System.Net.Http;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>
/// Names why Microsoft.IdentityModel refused a token, from the exception a <see cref="TokenValidationResult"/> carries:
/// its <see cref="Kind"/>, the <see cref="TokenConversionFailure"/> reason it means, and a message in the caller's
/// <see cref="Wording"/>. Compiled into each package that validates tokens (linked source, so no package exposes it).
/// </summary>
/// <remarks>
/// Nothing is read from the exception's message but its <c>IDXnnnnn</c> code (<see cref="Diagnostic"/>): with PII
/// logging on, Microsoft.IdentityModel's messages can quote the token.
/// </remarks>
internal static class TokenValidationFailures
{
    /// <summary>The validation failures Microsoft.IdentityModel reports, one per exception type (most derived first).</summary>
    public enum Kind
    {
        /// <summary>No exception: validation failed without a reason.</summary>
        None,

        /// <summary><see cref="SecurityTokenExpiredException"/>.</summary>
        Expired,

        /// <summary><see cref="SecurityTokenNotYetValidException"/>.</summary>
        NotYetValid,

        /// <summary><see cref="SecurityTokenNoExpirationException"/>.</summary>
        NoExpiration,

        /// <summary><see cref="SecurityTokenInvalidLifetimeException"/>: <c>nbf</c> after <c>exp</c>.</summary>
        InvalidLifetime,

        /// <summary><see cref="SecurityTokenInvalidIssuerException"/>.</summary>
        InvalidIssuer,

        /// <summary><see cref="SecurityTokenInvalidAudienceException"/>.</summary>
        InvalidAudience,

        /// <summary><see cref="SecurityTokenInvalidAlgorithmException"/>.</summary>
        InvalidAlgorithm,

        /// <summary><see cref="SecurityTokenInvalidTypeException"/>.</summary>
        InvalidType,

        /// <summary><see cref="SecurityTokenSignatureKeyNotFoundException"/> (a kind of invalid signature): no key matches the <c>kid</c>.</summary>
        KeyNotFound,

        /// <summary><see cref="SecurityTokenInvalidSigningKeyException"/>: the key that verified may not verify this token.</summary>
        InvalidSigningKey,

        /// <summary><see cref="SecurityTokenInvalidSignatureException"/>.</summary>
        InvalidSignature,

        /// <summary><see cref="SecurityTokenDecryptionFailedException"/>.</summary>
        DecryptionFailed,

        /// <summary><see cref="SecurityTokenMalformedException"/>.</summary>
        Malformed,

        /// <summary>
        /// <see cref="InvalidOperationException"/>, <see cref="HttpRequestException"/> or <see cref="IOException"/>: what a
        /// configuration manager throws when OpenID Connect metadata or a JWKS cannot be obtained.
        /// </summary>
        KeysUnavailable,

        /// <summary>Any other exception.</summary>
        Other,
    }

    /// <summary>Gets the kind of a validation failure.</summary>
    /// <param name="exception"><see cref="TokenValidationResult.Exception"/>.</param>
    /// <returns>The kind; <see cref="Kind.None"/> for <see langword="null"/>.</returns>
    public static Kind KindOf(Exception? exception) => exception switch
    {
        null => Kind.None,
        SecurityTokenExpiredException => Kind.Expired,
        SecurityTokenNotYetValidException => Kind.NotYetValid,
        SecurityTokenNoExpirationException => Kind.NoExpiration,
        SecurityTokenInvalidLifetimeException => Kind.InvalidLifetime,
        SecurityTokenInvalidIssuerException => Kind.InvalidIssuer,
        SecurityTokenInvalidAudienceException => Kind.InvalidAudience,
        SecurityTokenInvalidAlgorithmException => Kind.InvalidAlgorithm,
        SecurityTokenInvalidTypeException => Kind.InvalidType,
        SecurityTokenSignatureKeyNotFoundException => Kind.KeyNotFound,
        SecurityTokenInvalidSigningKeyException => Kind.InvalidSigningKey,
        SecurityTokenInvalidSignatureException => Kind.InvalidSignature,
        SecurityTokenDecryptionFailedException => Kind.DecryptionFailed,
        SecurityTokenMalformedException => Kind.Malformed,
        InvalidOperationException or HttpRequestException or IOException => Kind.KeysUnavailable,
        _ => Kind.Other,
    };

    /// <summary>Gets the reason a failure of this kind is reported with.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The reason; a key that may not verify the token is <see cref="TokenConversionFailure.AlgorithmNotAllowed"/> (RFC 8725 §3.1).</returns>
    public static TokenConversionFailure ReasonOf(Kind kind) => kind switch
    {
        Kind.Expired => TokenConversionFailure.Expired,
        Kind.NotYetValid => TokenConversionFailure.NotYetValid,
        Kind.NoExpiration or Kind.InvalidLifetime => TokenConversionFailure.InvalidLifetime,
        Kind.InvalidIssuer => TokenConversionFailure.WrongIssuer,
        Kind.InvalidAudience => TokenConversionFailure.WrongAudience,
        Kind.InvalidAlgorithm or Kind.InvalidSigningKey => TokenConversionFailure.AlgorithmNotAllowed,
        Kind.InvalidType => TokenConversionFailure.WrongTokenType,
        Kind.KeyNotFound => TokenConversionFailure.UnknownKey,
        Kind.InvalidSignature => TokenConversionFailure.InvalidSignature,
        Kind.Malformed => TokenConversionFailure.Malformed,
        Kind.KeysUnavailable => TokenConversionFailure.KeysUnavailable,
        _ => TokenConversionFailure.Invalid,
    };

    /// <summary>Classifies a validation failure: its reason, and a message in the caller's wording.</summary>
    /// <param name="exception"><see cref="TokenValidationResult.Exception"/>.</param>
    /// <param name="wording">What the caller says where callers differ.</param>
    /// <returns>The reason and the message; the message holds nothing of the exception's but what <see cref="Wording.SigningKeyRefused"/> allows.</returns>
    public static (TokenConversionFailure Reason, string Message) Classify(Exception? exception, Wording wording)
    {
        ArgumentNullException.ThrowIfNull(wording);
        var kind = KindOf(exception);
        if (kind == Kind.KeysUnavailable && wording.KeysUnavailable is null)
        {
            kind = Kind.Other;
        }

        var message = kind switch
        {
            Kind.Expired => "The token has expired.",
            Kind.NotYetValid => "The token is not yet valid (nbf is in the future).",
            Kind.NoExpiration => "The token has no 'exp' claim.",
            Kind.InvalidLifetime => "The token's lifetime is invalid (nbf after exp).",
            Kind.InvalidIssuer => wording.WrongIssuer,
            Kind.InvalidAudience => wording.WrongAudience,
            Kind.InvalidAlgorithm => wording.AlgorithmNotAllowed,
            Kind.InvalidType => wording.WrongTokenType,
            Kind.KeyNotFound => wording.UnknownKey,

            // Note: thrown by the caller's own IssuerSigningKeyValidator, whose message names the key's problem only.
            Kind.InvalidSigningKey => wording.SigningKeyRefused ?? exception!.Message,
            Kind.InvalidSignature => "The token's signature does not verify.",
            Kind.DecryptionFailed => "The encrypted token could not be decrypted.",
            Kind.Malformed => "The token is malformed.",
            Kind.KeysUnavailable => wording.KeysUnavailable!,
            _ => "The token failed validation.",
        };

        return (ReasonOf(kind), message);
    }

    /// <summary>
    /// Gets the exception's type name and, when its message starts with one, Microsoft.IdentityModel's <c>IDXnnnnn</c>
    /// code (<c>SecurityTokenExpiredException, IDX10223</c>): what identifies the failure without quoting anything.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The type name, and the code when there is one.</returns>
    public static string Diagnostic(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return IdentityModelCode(exception.Message) is { } code ? exception.GetType().Name + ", " + code : exception.GetType().Name;
    }

    // "IDX" and its digits (five in every code Microsoft.IdentityModel has), and nothing after them.
    private static string? IdentityModelCode(string message)
    {
        if (!message.StartsWith("IDX", StringComparison.Ordinal))
        {
            return null;
        }

        var end = 3;
        while (end < message.Length && end < 8 && char.IsAsciiDigit(message[end]))
        {
            end++;
        }

        return end > 3 ? message[..end] : null;
    }

    /// <summary>What a caller says for the failures whose wording depends on where the issuer, audience and keys come from.</summary>
    internal sealed class Wording
    {
        /// <summary>Gets the message for a wrong <c>iss</c>.</summary>
        public required string WrongIssuer { get; init; }

        /// <summary>Gets the message for an <c>aud</c> that names no accepted audience.</summary>
        public required string WrongAudience { get; init; }

        /// <summary>Gets the message for an <c>alg</c> outside the allowlist.</summary>
        public required string AlgorithmNotAllowed { get; init; }

        /// <summary>Gets the message for a <c>kid</c> that no key has.</summary>
        public required string UnknownKey { get; init; }

        /// <summary>Gets the message for a <c>typ</c> that is not allowed.</summary>
        public string WrongTokenType { get; init; } = "The token's 'typ' is not allowed.";

        /// <summary>
        /// Gets the message for a key that verified the signature but may not verify this token; <see langword="null"/>
        /// (the default) for the exception's own message, which the caller's <c>IssuerSigningKeyValidator</c> wrote.
        /// </summary>
        public string? SigningKeyRefused { get; init; }

        /// <summary>
        /// Gets the message for keys that could not be obtained (an OpenID Connect authority that is down); <see langword="null"/>
        /// (the default) when the caller's keys are given up front, so such an exception is a plain validation failure.
        /// </summary>
        public string? KeysUnavailable { get; init; }
    }
}
