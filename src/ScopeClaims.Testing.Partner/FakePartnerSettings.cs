using System;
using System.Collections.Generic;
using System.Linq;

namespace ScopeClaims.Testing.Partner;

/// <summary>The options of one <see cref="FakePartner"/>, checked and copied when it starts.</summary>
internal sealed class FakePartnerSettings
{
    private FakePartnerSettings(FakePartnerOptions options, string clientId)
    {
        ClientId = clientId;
        Subject = options.Subject ?? clientId;
        ClientJwks = options.ClientJwks;
        ClientAuthentication = options.ClientAuthentication;
        ClientSecret = options.ClientSecret;
        Audience = options.Audience;
        GrantTypes = options.GrantTypes.ToHashSet(StringComparer.Ordinal);
        ScopeRule = options.ScopeRule;
        RequireScopeClaim = options.RequireScopeClaim;
        AllowedScopes = options.AllowedScopes;
        MaxAssertionLifetime = options.MaxAssertionLifetime;
        TokenLifetimeSeconds = options.TokenLifetimeSeconds;
        TimeProvider = options.TimeProvider;
        SubjectTokens = options.SubjectTokens.ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlySet<string> SubjectTokens { get; }

    public string ClientId { get; }

    public string Subject { get; }

    public string? ClientJwks { get; }

    public FakePartnerClientAuthentication ClientAuthentication { get; }

    public string? ClientSecret { get; }

    public string? Audience { get; }

    public IReadOnlySet<string> GrantTypes { get; }

    public FakePartnerScopeRule ScopeRule { get; }

    public bool RequireScopeClaim { get; }

    public ScopeSet? AllowedScopes { get; }

    public TimeSpan MaxAssertionLifetime { get; }

    public int? TokenLifetimeSeconds { get; }

    public TimeProvider TimeProvider { get; }

    public static FakePartnerSettings From(FakePartnerOptions options)
    {
        const string Prefix = nameof(FakePartnerOptions) + ".";
        if (string.IsNullOrEmpty(options.ClientId))
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.ClientId)} is required: the iss and sub the client's assertions carry.", nameof(options));
        }

        if (options.Subject is { Length: 0 })
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.Subject)} is empty; leave it null to require the client id.", nameof(options));
        }

        if (options.GrantTypes.Count == 0)
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.GrantTypes)} is empty: name the JWT-bearer grant, client credentials, token exchange, or several.", nameof(options));
        }

        foreach (var grant in options.GrantTypes)
        {
            if (grant is not (FakePartnerOptions.JwtBearerGrantType or FakePartnerOptions.ClientCredentialsGrantType or FakePartnerOptions.TokenExchangeGrantType))
            {
                throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.GrantTypes)} names '{grant}'; the fake partner takes '{FakePartnerOptions.JwtBearerGrantType}', '{FakePartnerOptions.ClientCredentialsGrantType}' and '{FakePartnerOptions.TokenExchangeGrantType}'.", nameof(options));
            }
        }

        if (options.GrantTypes.Contains(FakePartnerOptions.TokenExchangeGrantType) && (options.SubjectTokens.Count == 0 || options.SubjectTokens.Any(string.IsNullOrEmpty)))
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.SubjectTokens)} must name the subject tokens a token exchange may present (none empty) when {nameof(FakePartnerOptions.GrantTypes)} names token exchange.", nameof(options));
        }

        if (!Enum.IsDefined(options.ClientAuthentication) || !Enum.IsDefined(options.ScopeRule))
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.ClientAuthentication)} or {nameof(FakePartnerOptions.ScopeRule)} is not one of its named values.", nameof(options));
        }

        var secretMethod = options.ClientAuthentication is FakePartnerClientAuthentication.ClientSecretBasic or FakePartnerClientAuthentication.ClientSecretPost;
        if (secretMethod && string.IsNullOrEmpty(options.ClientSecret))
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.ClientSecret)} is required with {options.ClientAuthentication}.", nameof(options));
        }

        if (!secretMethod && options.ClientSecret is not null)
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.ClientSecret)} is set but {nameof(FakePartnerOptions.ClientAuthentication)} is {options.ClientAuthentication}, which takes no secret.", nameof(options));
        }

        if (options.GrantTypes.Contains(FakePartnerOptions.ClientCredentialsGrantType) && options.ClientAuthentication == FakePartnerClientAuthentication.None)
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.GrantTypes)} names client credentials, which needs client authentication (RFC 6749 §4.4); set {nameof(FakePartnerOptions.ClientAuthentication)}.", nameof(options));
        }

        var needsJwks = options.GrantTypes.Contains(FakePartnerOptions.JwtBearerGrantType) || options.ClientAuthentication == FakePartnerClientAuthentication.PrivateKeyJwt;
        if (needsJwks)
        {
            if (string.IsNullOrEmpty(options.ClientJwks))
            {
                throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.ClientJwks)} is required: the public keys that verify the client's assertions.", nameof(options));
            }

            if (FakePartnerVerifier.CheckJwks(options.ClientJwks) is { } problem)
            {
                throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.ClientJwks)} cannot verify assertions: {problem}", nameof(options));
            }
        }

        if (options.Audience is { Length: 0 })
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.Audience)} is empty; leave it null to require the token endpoint's URL.", nameof(options));
        }

        if (options.MaxAssertionLifetime < TimeSpan.FromSeconds(1) || options.MaxAssertionLifetime > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.MaxAssertionLifetime)} must be from 1 second to 1 day.", nameof(options));
        }

        if (options.TokenLifetimeSeconds is < 1)
        {
            throw new ArgumentException($"{Prefix}{nameof(FakePartnerOptions.TokenLifetimeSeconds)} must be at least 1, or null to leave expires_in out.", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options) + "." + nameof(FakePartnerOptions.TimeProvider));
        return new FakePartnerSettings(options, options.ClientId);
    }
}
