using System.Net.Http;
using Microsoft.IdentityModel.Tokens;
using static ScopeClaims.Internal.TokenValidationFailures;

namespace ScopeClaims.Testing.Tests.Internal;

/// <summary>
/// The one classifier of Microsoft.IdentityModel validation failures (linked into ScopeClaims.Testing and the CLI, made
/// for the converter too): exception type to kind and reason, messages in the caller's wording, and diagnostics that keep
/// nothing of the exception's message but its IDX code.
/// </summary>
public sealed class TokenValidationFailuresTests
{
    private static readonly Wording s_wording = new()
    {
        WrongIssuer = "issuer words",
        WrongAudience = "audience words",
        AlgorithmNotAllowed = "algorithm words",
        UnknownKey = "key words",
    };

    [Theory]
    [InlineData(typeof(SecurityTokenExpiredException), "Expired", TokenConversionFailure.Expired)]
    [InlineData(typeof(SecurityTokenNotYetValidException), "NotYetValid", TokenConversionFailure.NotYetValid)]
    [InlineData(typeof(SecurityTokenNoExpirationException), "NoExpiration", TokenConversionFailure.InvalidLifetime)]
    [InlineData(typeof(SecurityTokenInvalidLifetimeException), "InvalidLifetime", TokenConversionFailure.InvalidLifetime)]
    [InlineData(typeof(SecurityTokenInvalidIssuerException), "InvalidIssuer", TokenConversionFailure.WrongIssuer)]
    [InlineData(typeof(SecurityTokenInvalidAudienceException), "InvalidAudience", TokenConversionFailure.WrongAudience)]
    [InlineData(typeof(SecurityTokenInvalidAlgorithmException), "InvalidAlgorithm", TokenConversionFailure.AlgorithmNotAllowed)]
    [InlineData(typeof(SecurityTokenInvalidTypeException), "InvalidType", TokenConversionFailure.WrongTokenType)]
    [InlineData(typeof(SecurityTokenSignatureKeyNotFoundException), "KeyNotFound", TokenConversionFailure.UnknownKey)]
    [InlineData(typeof(SecurityTokenInvalidSigningKeyException), "InvalidSigningKey", TokenConversionFailure.AlgorithmNotAllowed)]
    [InlineData(typeof(SecurityTokenInvalidSignatureException), "InvalidSignature", TokenConversionFailure.InvalidSignature)]
    [InlineData(typeof(SecurityTokenDecryptionFailedException), "DecryptionFailed", TokenConversionFailure.Invalid)]
    [InlineData(typeof(SecurityTokenMalformedException), "Malformed", TokenConversionFailure.Malformed)]
    [InlineData(typeof(InvalidOperationException), "KeysUnavailable", TokenConversionFailure.KeysUnavailable)]
    [InlineData(typeof(HttpRequestException), "KeysUnavailable", TokenConversionFailure.KeysUnavailable)]
    [InlineData(typeof(IOException), "KeysUnavailable", TokenConversionFailure.KeysUnavailable)]
    [InlineData(typeof(SecurityTokenException), "Other", TokenConversionFailure.Invalid)]
    [InlineData(typeof(ArgumentException), "Other", TokenConversionFailure.Invalid)]
    public void KindOf_EachExceptionType_HasItsKindAndReason(Type type, string kind, TokenConversionFailure reason)
    {
        var exception = (Exception)Activator.CreateInstance(type, "IDX10000: message")!;

        Assert.Equal(kind, KindOf(exception).ToString());
        Assert.Equal(reason, ReasonOf(KindOf(exception)));
    }

    [Fact]
    public void KindOf_Null_IsNone()
    {
        Assert.Equal(Kind.None, KindOf(null));
        Assert.Equal((TokenConversionFailure.Invalid, "The token failed validation."), Classify(null, s_wording));
    }

    [Theory]
    [InlineData(typeof(SecurityTokenInvalidIssuerException), "issuer words")]
    [InlineData(typeof(SecurityTokenInvalidAudienceException), "audience words")]
    [InlineData(typeof(SecurityTokenInvalidAlgorithmException), "algorithm words")]
    [InlineData(typeof(SecurityTokenSignatureKeyNotFoundException), "key words")]
    [InlineData(typeof(SecurityTokenInvalidTypeException), "The token's 'typ' is not allowed.")]
    [InlineData(typeof(SecurityTokenExpiredException), "The token has expired.")]
    [InlineData(typeof(SecurityTokenInvalidSignatureException), "The token's signature does not verify.")]
    public void Classify_WordsTheMessageAsTheCallerSays_NeverQuotingTheException(Type type, string expected)
    {
        var exception = (Exception)Activator.CreateInstance(type, "IDX10000: a.quoted.token")!;

        var (_, message) = Classify(exception, s_wording);

        Assert.Equal(expected, message);
    }

    [Fact]
    public void Classify_SigningKeyRefused_IsTheCallersValidatorMessageUnlessWorded()
    {
        var exception = new SecurityTokenInvalidSigningKeyException("The key does not fit the token's algorithm: it is an RSA key.");

        Assert.Equal((TokenConversionFailure.AlgorithmNotAllowed, exception.Message), Classify(exception, s_wording));
        Assert.Equal((TokenConversionFailure.AlgorithmNotAllowed, "refused"), Classify(exception, new Wording
        {
            WrongIssuer = "i", WrongAudience = "a", AlgorithmNotAllowed = "g", UnknownKey = "k", SigningKeyRefused = "refused",
        }));
    }

    [Fact]
    public void Classify_KeysUnavailable_OnlyWhenTheCallerFetchesKeys()
    {
        var exception = new InvalidOperationException("IDX20803: Unable to obtain configuration from: 'https://x'.");
        var fetching = new Wording { WrongIssuer = "i", WrongAudience = "a", AlgorithmNotAllowed = "g", UnknownKey = "k", KeysUnavailable = "no keys" };

        Assert.Equal((TokenConversionFailure.Invalid, "The token failed validation."), Classify(exception, s_wording));
        Assert.Equal((TokenConversionFailure.KeysUnavailable, "no keys"), Classify(exception, fetching));
    }

    [Theory]
    [InlineData("IDX10223: Lifetime validation failed. The token is expired. ValidTo: 'a.b.c'", "SecurityTokenExpiredException, IDX10223")]
    [InlineData("IDX10223", "SecurityTokenExpiredException, IDX10223")]
    [InlineData("IDX1022312345: long", "SecurityTokenExpiredException, IDX10223")]
    [InlineData("IDX: no digits", "SecurityTokenExpiredException")]
    [InlineData("no code a.b.c", "SecurityTokenExpiredException")]
    [InlineData("", "SecurityTokenExpiredException")]
    public void Diagnostic_KeepsTheTypeAndTheIdxCodeOnly(string message, string expected) =>
        Assert.Equal(expected, Diagnostic(new SecurityTokenExpiredException(message)));
}
