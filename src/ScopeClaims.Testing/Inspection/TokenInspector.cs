using System;
using System.Globalization;
using ScopeClaims.Internal;
using ScopeClaims.Testing.Internal;

namespace ScopeClaims.Testing;

/// <summary>
/// Reads a compact JWS <em>without validating it</em>, so a test can see exactly what a token says and in which shape.
/// </summary>
/// <remarks>
/// The signature is not verified and no claim is checked: an inspection tells you what your code wrote, never whether a
/// token can be trusted. To validate, use <see cref="ScopeTokenAssertions.IsValidAgainstJwks"/>.
/// </remarks>
/// <example>
/// <code>
/// TokenInspection inspection = TokenInspector.InspectUnvalidated(token);
/// ScopeClaimShape shape = inspection.GetScopeClaim("scope").Shape;   // ScopeClaimShape.Array
/// </code>
/// </example>
public static class TokenInspector
{
    /// <summary>Decodes the header and payload of a compact JWS without validating anything.</summary>
    /// <param name="token">The compact token: <c>header.payload.signature</c>, each part base64url (RFC 7515 §7.1).</param>
    /// <returns>What the token says; nothing in it has been verified.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    /// <exception cref="MalformedTokenException">
    /// The token is not three dot-separated parts (a JWE has five), a part is not base64url, or the header or payload
    /// is not one JSON object with distinct member names and valid Unicode strings. The message never repeats the token.
    /// </exception>
    public static TokenInspection InspectUnvalidated(string token)
    {
        ArgumentNullException.ThrowIfNull(token);

        // Note: a signature whose last character sets unused bits is inspected (it is not decoded); the validating
        // assertions refuse it, naming that reason.
        if (!CompactJws.TryDecode(token, CompactJws.Strictness.LenientSignature, out var jws, out var failure))
        {
            throw new MalformedTokenException(Describe(failure));
        }

        return new TokenInspection(jws.HeaderJson, jws.Header, jws.PayloadJson, jws.Payload, jws.HasSignature);
    }

    private static string Describe(CompactJws.Failure failure)
    {
        var name = failure.PartName;
        return failure.Problem switch
        {
            CompactJws.Problem.Encrypted => "The token has 5 parts: it is an encrypted JWE, which cannot be inspected. Pass a signed compact JWS (header.payload.signature).",
            CompactJws.Problem.PartCount => string.Create(CultureInfo.InvariantCulture, $"The token has {failure.PartCount} part(s) separated by '.'; a compact JWS has 3 (header.payload.signature)."),
            CompactJws.Problem.Empty => $"The token's {name} is empty; it must be a base64url-encoded JSON object.",
            CompactJws.Problem.Base64UrlCharacter => string.Create(CultureInfo.InvariantCulture, $"The token's {name} is not base64url: the character at index {failure.Index} is outside the alphabet A-Z a-z 0-9 - _ (padding '=' is not allowed)."),
            CompactJws.Problem.Base64UrlLength => $"The token's {name} is not base64url: its length cannot be decoded (one character too many or too few).",
            CompactJws.Problem.Base64UrlTrailingBits => $"The token's {name} is not canonical base64url: the unused bits of its last character are not zero (RFC 4648 §3.5), so it does not decode.",
            CompactJws.Problem.NotUtf8 => $"The token's {name} is not valid UTF-8.",
            CompactJws.Problem.NotJson => string.Create(CultureInfo.InvariantCulture, $"The token's {name} is not well-formed JSON (or is nested deeper than {CompactJws.MaxDepth}) near byte {failure.BytePosition ?? 0} of line {failure.Line ?? 0}."),
            CompactJws.Problem.NotAnObject => $"The token's {name} is JSON but {JsonText.Kind(failure.Kind)}, not an object.",
            CompactJws.Problem.InvalidString => $"The token's {name} holds a string that is not valid Unicode (an escaped lone surrogate such as \\uD800).",

            // RFC 7515 §5.2 and RFC 7519 §4: duplicate member names make a token ambiguous; refuse it.
            CompactJws.Problem.DuplicateMember => $"The token's {name} names the member '{JsonText.Shorten(failure.MemberName!)}' more than once.",
            _ /* NestedDuplicateMember */ => $"The token's {name} names a member more than once in a nested object.",
        };
    }
}
