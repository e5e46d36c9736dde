using System;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Makes the <see cref="JwtBearerGrantOptions"/> that the shared machinery (provider, handler, token client, redirect
/// filter, log redaction) reads for one client from its <see cref="ClientCredentialsGrantOptions"/>.
/// </summary>
/// <remarks>Reading the client-credentials options validates them, so invalid options fail with their own messages.</remarks>
internal sealed class ClientCredentialsGrantConfiguration : IConfigureNamedOptions<JwtBearerGrantOptions>
{
    private readonly string _name;
    private readonly IOptionsMonitor<ClientCredentialsGrantOptions> _options;

    public ClientCredentialsGrantConfiguration(string name, IOptionsMonitor<ClientCredentialsGrantOptions> options)
    {
        _name = name;
        _options = options;
    }

    public void Configure(string? name, JwtBearerGrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.Equals(name, _name, StringComparison.Ordinal))
        {
            ClientCredentialsGrant.Apply(_options.Get(_name), options);
        }
    }

    public void Configure(JwtBearerGrantOptions options) => Configure(Options.DefaultName, options);
}
