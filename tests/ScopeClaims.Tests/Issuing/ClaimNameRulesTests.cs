using Microsoft.Extensions.Options;
using ScopeClaims.Internal;

namespace ScopeClaims.Tests.Issuing;

/// <summary>
/// A .NET consumer compares claim types ignoring case (ClaimsIdentity.HasClaim, FindAll, RequireClaim), so every name
/// rule of the writing side holds for every case variant of a name.
/// </summary>
public class ClaimNameRulesTests
{
    [Theory]
    [InlineData("scope")]
    [InlineData("SCOPE")]
    [InlineData("Scp")]
    [InlineData("HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE")]
    [InlineData("ISS")]
    [InlineData("Exp")]
    public void ScopeTokenConverterOptions_CopiedClaimNamingRegisteredOrScopeClaimInAnyCase_IsRefused(string name)
    {
        var options = new ScopeTokenConverterOptions { ProfileName = "partner" };
        options.CopiedClaims.Add(name);

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenConverter(options, new ScopeTokenIssuer(TestKeys.Options())));

        Assert.Contains(ex.Failures, f => f.Contains($"CopiedClaims cannot hold '{name}'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Scope", "scope")]
    [InlineData("SCP", "scp")]
    [InlineData("Http://Schemas.Microsoft.Com/Identity/Claims/Scope", ScopeClaimTypes.MicrosoftScope)]
    public void ScopeTokenOptions_ClaimNameThatDiffersFromAScopeClaimOnlyInCase_IsRefused(string name, string scopeClaimType)
    {
        var options = TestKeys.Options();
        options.ClaimName = name;

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        Assert.Contains(ex.Failures, f => f.Contains($"ScopeTokenOptions.ClaimName '{name}'", StringComparison.Ordinal) && f.Contains($"'{scopeClaimType}'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("EXP")]
    [InlineData("Iat")]
    public void ScopeTokenOptions_ClaimNameNamingARegisteredClaimInAnyCase_IsRefused(string name)
    {
        var options = TestKeys.Options();
        options.ClaimName = name;

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        Assert.Contains(ex.Failures, f => f.Contains("registered JWT claim", StringComparison.Ordinal));
    }

    [Fact]
    public void ScopeTokenOptions_BothNamesDifferingOnlyInCase_AreRefused()
    {
        var options = TestKeys.Options(format: ScopeFormat.Both);
        options.ClaimName = "perms";
        options.ArrayClaimName = "PERMS";

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        Assert.Contains(ex.Failures, f => f.Contains("ArrayClaimName must differ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("scope", null)]
    [InlineData("Scope", "scope")]
    [InlineData("sCP", "scp")]
    [InlineData("\u017Fcope", "scope")]
    [InlineData("HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE", ScopeClaimTypes.MicrosoftScope)]
    [InlineData("scopes", null)]
    [InlineData("tenant", null)]
    public void ScopeTypeOfCaseVariant_NamesTheScopeClaimAVariantStandsFor(string name, string? expected)
    {
        Assert.Equal(expected, ClaimNameRules.ScopeTypeOfCaseVariant(name));
    }
}
