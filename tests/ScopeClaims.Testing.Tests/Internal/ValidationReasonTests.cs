using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Testing.Internal;

namespace ScopeClaims.Testing.Tests.Internal;

public sealed class ValidationReasonTests
{
    private static readonly TokenInspection s_signed = TokenInspector.InspectUnvalidated(Tokens.Make("{}"));

    [Theory]
    [InlineData(typeof(SecurityTokenInvalidSigningKeyException), "IDX10232: secret kid", "the key that verified the signature may not verify this token (SecurityTokenInvalidSigningKeyException, IDX10232)")]
    [InlineData(typeof(SecurityTokenMalformedException), "IDX14100: token", "Microsoft.IdentityModel cannot read the token (SecurityTokenMalformedException, IDX14100)")]
    [InlineData(typeof(SecurityTokenInvalidSignatureException), "IDX10511: key", "the signature does not verify with the keys in the set (SecurityTokenInvalidSignatureException, IDX10511)")]
    [InlineData(typeof(SecurityTokenSignatureKeyNotFoundException), "IDX10503: kid", "no key in the set matches the token's kid \"test-kid\" and alg \"RS256\" (SecurityTokenSignatureKeyNotFoundException, IDX10503)")]
    [InlineData(typeof(InvalidOperationException), "no code here", "validation failed (InvalidOperationException)")]
    public void Explain_IdentityModelException_NamesTheFailureAndKeepsOnlyTheCode(Type type, string message, string expected)
    {
        var exception = (Exception)Activator.CreateInstance(type, message)!;
        Assert.Equal(expected, ValidationReason.Explain(exception, s_signed));
    }

    [Fact]
    public void Explain_NoException_SaysSo() =>
        Assert.Equal("validation failed without a reason", ValidationReason.Explain(null, s_signed));
}
