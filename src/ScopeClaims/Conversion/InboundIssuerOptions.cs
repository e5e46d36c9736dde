using System;
using System.Collections.Generic;
using System.Net.Http;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims;

/// <summary>
/// One issuer whose tokens the converter accepts: its <c>iss</c>, audiences, algorithms and where its keys come from.
/// Set exactly one key source: <see cref="SigningKeys"/>, <see cref="JwksJson"/>, <see cref="JwksPath"/> or
/// <see cref="Authority"/> (or <see cref="MetadataAddress"/>).
/// </summary>
public sealed class InboundIssuerOptions
{
    /// <summary>Gets or sets the exact <c>iss</c> value (ordinal comparison). Required.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Issuer { get; set; }

    /// <summary>Gets the accepted <c>aud</c> values. At least one is required.</summary>
    /// <value>The default is empty.</value>
    public IList<string> Audiences { get; } = new List<string>();

    /// <summary>Gets the accepted <c>alg</c> values (RFC 8725 §3.1). At least one is required; <c>none</c> is never accepted.</summary>
    /// <value>The default is empty.</value>
    public IList<string> Algorithms { get; } = new List<string>();

    /// <summary>Gets the accepted <c>typ</c> header values; empty accepts any (and none).</summary>
    /// <value>The default is empty.</value>
    public IList<string> TokenTypes { get; } = new List<string>();

    /// <summary>Gets static verification keys, set in code.</summary>
    /// <value>The default is empty.</value>
    public IList<SecurityKey> SigningKeys { get; } = new List<SecurityKey>();

    /// <summary>Gets or sets a JWKS document (RFC 7517 §5) holding the issuer's public keys.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? JwksJson { get; set; }

    /// <summary>Gets or sets a file holding the issuer's JWKS.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? JwksPath { get; set; }

    /// <summary>
    /// Gets or sets an OpenID Connect authority; its discovery document (<c>/.well-known/openid-configuration</c>) and
    /// JWKS are fetched and refreshed by Microsoft.IdentityModel's <c>ConfigurationManager</c>, with its last-known-good
    /// behaviour. HTTPS is required except for loopback addresses.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Uri? Authority { get; set; }

    /// <summary>Gets or sets the discovery document address, when it is not <see cref="Authority"/> + <c>/.well-known/openid-configuration</c>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Uri? MetadataAddress { get; set; }

    /// <summary>Gets or sets the handler used to fetch discovery and JWKS documents (for proxies and tests).</summary>
    /// <value>The default is <see langword="null"/>: a plain <see cref="HttpClientHandler"/>.</value>
    public HttpMessageHandler? BackchannelHandler { get; set; }

    /// <summary>
    /// Gets or sets the shortest time between two refreshes of the authority's metadata when a token names an unknown
    /// <c>kid</c>, so a flood of unknown key ids causes a bounded number of fetches. At least 1 second.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the clock skew allowed when checking <c>exp</c> and <c>nbf</c>; at most 5 minutes.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
