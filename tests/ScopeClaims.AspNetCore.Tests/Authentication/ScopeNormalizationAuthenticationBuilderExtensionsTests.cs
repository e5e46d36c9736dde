using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScopeClaims.AspNetCore.Internal;

namespace ScopeClaims.AspNetCore.Tests.Authentication;

public class ScopeNormalizationAuthenticationBuilderExtensionsTests
{
    [Fact]
    public void AddScopeNormalization_CalledTwice_InstallsTheEventsOnce()
    {
        var services = new ServiceCollection().AddLogging();
        var userEvents = new JwtBearerEvents();
        services.AddAuthentication().AddJwtBearer(o => o.Events = userEvents).AddScopeNormalization().AddScopeNormalization();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.Single(provider.GetServices<IPostConfigureOptions<JwtBearerOptions>>().OfType<ScopeNormalizationPostConfigureOptions>());
        Assert.IsType<ScopeNormalizingJwtBearerEvents>(options.Events);
        Assert.Null(options.EventsType);
        Assert.Single(provider.GetServices<ScopeNormalizer>());
    }

    [Fact]
    public void AddScopeNormalization_NamedSchemes_AreTheOnlyOnesNormalized()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAuthentication().AddJwtBearer("a").AddJwtBearer("b").AddJwtBearer("c").AddScopeNormalization("a").AddScopeNormalization("c");
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>();

        Assert.IsType<ScopeNormalizingJwtBearerEvents>(monitor.Get("a").Events);
        Assert.IsNotType<ScopeNormalizingJwtBearerEvents>(monitor.Get("b").Events);
        Assert.IsType<ScopeNormalizingJwtBearerEvents>(monitor.Get("c").Events);
    }

    [Fact]
    public void AddScopeNormalization_NullOrBlankArguments_Throw()
    {
        var builder = new ServiceCollection().AddAuthentication();

        Assert.Throws<ArgumentNullException>("builder", () => ScopeNormalizationAuthenticationBuilderExtensions.AddScopeNormalization(null!));
        Assert.Throws<ArgumentNullException>("authenticationSchemes", () => builder.AddScopeNormalization(null!));
        Assert.Throws<ArgumentException>("authenticationSchemes", () => builder.AddScopeNormalization("a", " "));
        Assert.IsType<AuthenticationBuilder>(builder.AddScopeNormalization());
    }
}
