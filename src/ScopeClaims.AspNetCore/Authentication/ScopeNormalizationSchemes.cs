using System;
using System.Collections.Generic;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>Which JwtBearer schemes are normalized: every one, or those named in calls to <c>AddScopeNormalization</c>.</summary>
internal sealed class ScopeNormalizationSchemes
{
    public bool All { get; set; }

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public bool Applies(string? scheme) => All || (scheme is not null && Names.Contains(scheme));
}
