using ScopeClaims.Internal;

namespace ScopeClaims.Tests.Scopes;

/// <summary>ScopeClaimTypes.All is the one list of scope claim types: what the normalizer reads and the writing side guards.</summary>
public class ScopeClaimTypesTests
{
    [Fact]
    public void All_InReadingOrder_IsScopeScpThenTheMappedScp()
    {
        Assert.Equal([ScopeClaimTypes.Scope, ScopeClaimTypes.Scp, ScopeClaimTypes.MicrosoftScope], ScopeClaimTypes.All);
    }

    [Fact]
    public void ScopeNormalizerOptions_DefaultClaimTypes_AreAllInOrder()
    {
        Assert.Equal(ScopeClaimTypes.All, new ScopeNormalizerOptions().ClaimTypes);
    }

    [Fact]
    public void ScopeNormalizerOptions_ClaimTypesChanged_LeaveAllAsItIs()
    {
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("roles");

        Assert.Equal(3, ScopeClaimTypes.All.Count);
        Assert.Equal(ScopeClaimTypes.All, new ScopeNormalizerOptions().ClaimTypes);
    }

    [Fact]
    public void ClaimNameRules_ScopeTypes_AreAll()
    {
        Assert.True(ClaimNameRules.ScopeTypes.SetEquals(ScopeClaimTypes.All));
        Assert.Equal(ScopeClaimTypes.All.Count, ClaimNameRules.ScopeTypes.Count);
    }
}
