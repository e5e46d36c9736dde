using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Checks a client's <see cref="TokenGrantOptions"/>, every problem at once, each naming its option: the grant's own
/// rules in the subclass, the shared ones here, and the rules of the machinery (endpoint, client authentication,
/// timings, parameters, token client, the client assertion's profile) by <see cref="JwtBearerGrantOptionsValidator"/>
/// on the options the machinery will run with, its messages naming this grant's options type.
/// </summary>
internal abstract class TokenGrantOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : TokenGrantOptions
{
    private readonly JwtBearerGrantOptionsValidator _shared;

    protected TokenGrantOptionsValidator(IServiceProvider services)
    {
        _shared = new JwtBearerGrantOptionsValidator(services);
    }

    /// <summary>Gets the options type's name, which every message starts with.</summary>
    protected abstract string OptionsName { get; }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingErrors);
        var client = $"HttpClient '{name}'";
        var prefix = OptionsName + ".";
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{prefix}ClientId is required ({client}): it is sent with client authentication and is part of the cache key.");
        }

        if (options.Resource is { } resource && (!resource.IsAbsoluteUri || !string.IsNullOrEmpty(resource.Fragment)))
        {
            failures.Add($"{prefix}Resource must be an absolute URI without a fragment ({client}, RFC 8707 §2).");
        }

        if (options.Audience is not null && string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{prefix}Audience is empty ({client}); leave it null to send no audience parameter.");
        }

        CheckGrant(failures, options, prefix, client);
        if (options.Scopes is null)
        {
            failures.Add($"{prefix}Scopes cannot be null ({client}); use ScopeSet.Empty for no scopes.");
        }
        else
        {
            var shared = new JwtBearerGrantOptions();
            CreateGrant(options).ApplyTo(shared);
            var result = _shared.Validate(name, shared);
            if (result.Failed)
            {
                failures.AddRange(result.Failures.Select(f => f.Replace("JwtBearerGrantOptions.", prefix, StringComparison.Ordinal)));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Makes the grant, for the shared checks.</summary>
    protected abstract TokenGrant CreateGrant(TOptions options);

    /// <summary>Adds the grant's own problems.</summary>
    protected abstract void CheckGrant(List<string> failures, TOptions options, string prefix, string client);
}
