using System;
using System.Buffers;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Http.Internal;

/// <summary>Makes the <c>private_key_jwt</c> client assertion (RFC 7523 §2.2 and §3) of one token request.</summary>
internal static class ClientAssertion
{
    /// <summary>The <c>client_assertion_type</c> of a JWT client assertion (RFC 7523 §2.2).</summary>
    public const string Type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>The profile whose key signs: <see cref="ClientAssertionOptions.ProfileName"/>, else the grant's own.</summary>
    public static string ProfileName(JwtBearerGrantOptions options) => options.ClientAssertion.ProfileName ?? options.ProfileName;

    /// <summary>
    /// Returns a fresh client assertion when <paramref name="options"/> authenticate with
    /// <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/>, else <see langword="null"/>: <c>iss</c> = <c>sub</c> =
    /// the client id, <c>aud</c>, <c>iat</c>, <c>exp</c> and a 128-bit random <c>jti</c>, signed with the key the
    /// profile signs with now (through its <see cref="TokenSigner"/> when the key is held elsewhere).
    /// </summary>
    /// <exception cref="InvalidOperationException">The profile's signing key is symmetric (it was rotated to an HMAC key after validation), or of an algorithm the discovered metadata does not list.</exception>
    public static async ValueTask<string?> CreateIfUsedAsync(JwtBearerGrantOptions options, string clientId, IScopeTokenIssuerFactory issuers, TimeProvider time, CancellationToken cancellationToken)
    {
        if (options.ClientAuthentication != ClientAuthenticationMethod.PrivateKeyJwt)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var key = issuers.GetIssuer(ProfileName(options)).Keys.GetSigningKey(now);
        if (key.IsSymmetric)
        {
            // Note: a JWT signed with a shared secret is client_secret_jwt; sending it as private_key_jwt would
            // hand the server a secret-keyed signature it may not expect. Fail closed.
            throw new InvalidOperationException($"The active signing key of ScopeClaims profile '{ProfileName(options)}' is an HMAC key; private_key_jwt needs an asymmetric key (RSA, RSA-PSS or ECDSA).");
        }

        if (options.ClientAssertionAlgorithms is { } supported && !supported.Contains(key.Algorithm))
        {
            // Note: the server said which algorithms it verifies; an assertion of another would only come back as
            // invalid_client, without saying why.
            throw new InvalidOperationException($"The active signing key of ScopeClaims profile '{ProfileName(options)}' signs with {key.Algorithm}, which the authorization server's token_endpoint_auth_signing_alg_values_supported does not list ({string.Join(", ", supported.Order(StringComparer.Ordinal))}); sign the client assertion with one of those.");
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(JwtRegisteredClaimNames.Iss, clientId);
            writer.WriteString(JwtRegisteredClaimNames.Sub, clientId);
            writer.WriteString(JwtRegisteredClaimNames.Aud, options.ClientAssertion.Audience ?? options.TokenEndpoint!.AbsoluteUri);
            writer.WriteString(JwtRegisteredClaimNames.Jti, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)));
            writer.WriteNumber(JwtRegisteredClaimNames.Iat, now.ToUnixTimeSeconds());
            writer.WriteNumber(JwtRegisteredClaimNames.Exp, (now + options.ClientAssertion.Lifetime).ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        return await key.CreateJwsAsync(buffer.WrittenMemory, "JWT", cancellationToken).ConfigureAwait(false);
    }
}
