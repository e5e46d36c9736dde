using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Makes the <see cref="JwtBearerGrantOptions"/> that the shared machinery (provider, handler, token client, redirect
/// filter, log redaction) reads for one client from its <see cref="TokenGrantOptions"/>.
/// </summary>
/// <remarks>Reading the grant's options validates them, so invalid options fail with their own messages.</remarks>
internal sealed class TokenGrantOptionsMapping<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions> : IConfigureNamedOptions<JwtBearerGrantOptions>
    where TOptions : TokenGrantOptions
{
    private readonly string _name;
    private readonly IOptionsMonitor<TOptions> _options;
    private readonly Func<TOptions, TokenGrant> _grant;

    public TokenGrantOptionsMapping(string name, IOptionsMonitor<TOptions> options, Func<TOptions, TokenGrant> grant)
    {
        _name = name;
        _options = options;
        _grant = grant;
    }

    public void Configure(string? name, JwtBearerGrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.Equals(name, _name, StringComparison.Ordinal))
        {
            _grant(_options.Get(_name)).ApplyTo(options);
        }
    }

    public void Configure(JwtBearerGrantOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
}
