using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims.Cli.Internal;

/// <content>Verification: the signature with the keys of a JWKS file, and <c>iss</c>, <c>aud</c> and <c>exp</c>.</content>
internal sealed partial class TokenReport
{
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    // Note: the keys come from --jwks and the expected values from --issuer and --audience; the rest is the shared wording.
    private static readonly TokenValidationFailures.Wording s_wording = new()
    {
        WrongIssuer = "The token's issuer is not the one given with --issuer.",
        WrongAudience = "The token's audience is not the one given with --audience.",
        AlgorithmNotAllowed = "The token's algorithm is not one the JWKS keys name.",
        UnknownKey = "No key of the JWKS matches the token's kid.",
    };

    /// <summary>Verifies the signature with the JWKS, and <c>iss</c> and <c>aud</c> when given; <c>exp</c> is required.</summary>
    public async Task VerifyAsync(string token, JwksFile jwks, string? issuer, string? audience, CancellationToken cancellationToken)
    {
        if (Header.TryGetProperty("crit", out _))
        {
            Fail(TokenConversionFailure.UnsupportedCriticalHeader, "The token header marks extensions as critical ('crit'); none is implemented (RFC 7515 §4.1.11).");
            return;
        }

        // Note: Microsoft.IdentityModel enforces ValidAlgorithms too, but reports a refusal as a key or signature failure.
        if (!Header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || !jwks.Algorithms.Contains(alg.GetString()!, StringComparer.Ordinal))
        {
            Fail(TokenConversionFailure.AlgorithmNotAllowed, $"The token's algorithm is not one the JWKS keys name ({string.Join(", ", jwks.Algorithms)}).");
            return;
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.Keys,
            ValidAlgorithms = jwks.Algorithms,
            ValidateIssuer = issuer is not null,
            ValidIssuer = issuer,
            ValidateAudience = audience is not null,
            ValidAudience = audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,

            // Note: RFC 8725 §3.1/§3.2: the verifying key must fit the algorithm (family, size, curve, JWK alg/use/key_ops).
            IssuerSigningKeyValidator = static (key, token, _) => KeyAlgorithmBinding.Check(key, (token as JsonWebToken)?.Alg) is not { } problem
                ? true
                : throw new SecurityTokenInvalidSigningKeyException("The JWKS key does not fit the token's algorithm: " + problem + ".") { SigningKey = key },

            // Note: Microsoft.IdentityModel ignores a trailing slash by default; --audience is compared exactly.
            IgnoreTrailingSlashWhenValidatingAudience = false,
            TryAllIssuerSigningKeys = !Header.TryGetProperty("kid", out _),
            ClockSkew = TimeSpan.FromSeconds(30),
        };

        var result = await s_handler.ValidateTokenAsync(token, parameters).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsValid)
        {
            Verification = "ok";
        }
        else
        {
            var (reason, message) = TokenValidationFailures.Classify(result.Exception, s_wording);
            Fail(reason, message);
        }
    }

    private void Fail(TokenConversionFailure reason, string message)
    {
        Verification = "failed";
        Error = $"verification failed ({reason}): {message}";
    }
}
