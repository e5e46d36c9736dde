using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Installs <see cref="ScopeNormalizingJwtBearerEvents"/> on the selected JwtBearer schemes. A post-configuration, so it
/// runs after every <c>AddJwtBearer(o => ...)</c> and <c>Configure&lt;JwtBearerOptions&gt;</c>, and sees the events they set.
/// </summary>
internal sealed class ScopeNormalizationPostConfigureOptions : IPostConfigureOptions<JwtBearerOptions>
{
    private readonly JwtBearerScopeNormalizer _normalizer;
    private readonly ScopeNormalizationSchemes _schemes;

    public ScopeNormalizationPostConfigureOptions(JwtBearerScopeNormalizer normalizer, IOptions<ScopeNormalizationSchemes> schemes)
    {
        _normalizer = normalizer;
        _schemes = schemes.Value;
    }

    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (!_schemes.Applies(name) || options.Events is ScopeNormalizingJwtBearerEvents)
        {
            return;
        }

        options.Events = new ScopeNormalizingJwtBearerEvents(_normalizer, options.Events, options.EventsType);

        // Note: the handler would resolve EventsType instead of Events; ours resolves it per request and calls it.
        options.EventsType = null;
    }
}
