using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ScopeClaims.AspNetCore.Tests.Authorization;

public class ScopeAuthorizationExtensionsTests
{
    [Fact]
    public void RequireScope_OnPolicyBuilder_AddsAnAnyOfRequirement()
    {
        var policy = new AuthorizationPolicyBuilder().RequireScope("a", "b").RequireAllScopes("c", "d").Build();

        var requirements = policy.Requirements.OfType<ScopeAuthorizationRequirement>().ToList();
        Assert.Equal(2, requirements.Count);
        Assert.Equal(ScopeMatch.Any, requirements[0].Match);
        Assert.Equal(new[] { "a", "b" }, requirements[0].Scopes);
        Assert.Equal(ScopeMatch.All, requirements[1].Match);
        Assert.Equal(new[] { "c", "d" }, requirements[1].Scopes);
    }

    [Fact]
    public void RequireScope_OnPolicyBuilderNullOrInvalidArguments_Throws()
    {
        Assert.Throws<ArgumentNullException>("builder", () => ScopeAuthorizationPolicyBuilderExtensions.RequireScope(null!, "a"));
        Assert.Throws<ArgumentNullException>("builder", () => ScopeAuthorizationPolicyBuilderExtensions.RequireAllScopes(null!, "a"));
        Assert.Throws<ArgumentNullException>("scopes", () => new AuthorizationPolicyBuilder().RequireScope(null!));
        Assert.Throws<ArgumentException>("scopes", () => new AuthorizationPolicyBuilder().RequireScope());
        Assert.Throws<ArgumentException>("scopes", () => new AuthorizationPolicyBuilder().RequireAllScopes("read write"));
    }

    [Fact]
    public void RequireScope_OnEndpoint_AddsTheAttributeAsMetadata()
    {
        var conventions = new RecordingConventionBuilder();

        conventions.RequireScope("a").RequireAllScopes("b", "c");

        var endpoint = conventions.Build();
        var attributes = endpoint.Metadata.GetOrderedMetadata<RequireScopeAttribute>();
        Assert.Equal(2, attributes.Count);
        Assert.Equal(ScopeMatch.Any, attributes[0].ScopeMatch);
        Assert.Equal(ScopeMatch.All, attributes[1].ScopeMatch);
        Assert.Equal(2, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count);
        Assert.Equal(new[] { "b", "c" }, endpoint.Metadata.GetOrderedMetadata<IAuthorizationRequirementData>()[1].GetRequirements().OfType<ScopeAuthorizationRequirement>().Single().Scopes);
    }

    [Fact]
    public void RequireScope_OnEndpointNullOrEmptyArguments_Throws()
    {
        Assert.Throws<ArgumentNullException>("builder", () => ScopeAuthorizationEndpointConventionBuilderExtensions.RequireScope<RecordingConventionBuilder>(null!, "a"));
        Assert.Throws<ArgumentNullException>("builder", () => ScopeAuthorizationEndpointConventionBuilderExtensions.RequireAllScopes<RecordingConventionBuilder>(null!, "a"));
        Assert.Throws<ArgumentException>("scopes", () => new RecordingConventionBuilder().RequireScope());
        Assert.Throws<ArgumentException>("scopes", () => new RecordingConventionBuilder().RequireAllScopes(""));
    }

    [Fact]
    public void Attribute_GetRequirements_FollowsScopeMatch()
    {
        var attribute = new RequireScopeAttribute("a", "b");
        var any = Assert.IsType<ScopeAuthorizationRequirement>(Assert.Single(attribute.GetRequirements()));

        attribute.ScopeMatch = ScopeMatch.All;
        var all = Assert.IsType<ScopeAuthorizationRequirement>(Assert.Single(attribute.GetRequirements()));

        Assert.Equal(ScopeMatch.Any, any.Match);
        Assert.Equal(ScopeMatch.All, all.Match);
        Assert.Equal(new[] { "a", "b" }, attribute.Scopes);
        Assert.Null(attribute.Policy);
    }

    [Fact]
    public void Attribute_NullEmptyOrSpacedScopesOrUndefinedMatch_Throws()
    {
        Assert.Throws<ArgumentNullException>("scopes", () => new RequireScopeAttribute(null!));
        Assert.Throws<ArgumentException>("scopes", () => new RequireScopeAttribute());
        Assert.Throws<ArgumentException>("scopes", () => new RequireScopeAttribute("a b"));
        Assert.Throws<ArgumentOutOfRangeException>("match", () => new RequireScopeAttribute("a") { ScopeMatch = (ScopeMatch)2 }.GetRequirements());
    }

    private sealed class RecordingConventionBuilder : IEndpointConventionBuilder
    {
        private readonly List<Action<EndpointBuilder>> _conventions = new();

        public void Add(Action<EndpointBuilder> convention) => _conventions.Add(convention);

        public Endpoint Build()
        {
            var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/"), 0);
            foreach (var convention in _conventions)
            {
                convention(builder);
            }

            return builder.Build();
        }
    }
}
