using System.Collections.Generic;

namespace ScopeClaims.AspNetCore;

/// <summary>
/// A client of the token-exchange endpoint: its id, one credential (a hashed secret, or the public JWK set its client
/// assertions are signed with), and the audiences and scopes it may ask for.
/// </summary>
public sealed class TokenExchangeClient
{
    /// <summary>Gets or sets the client id (RFC 6749 §2.2). Required; unique among the clients (ordinal).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ClientId { get; set; }

    /// <summary>
    /// Gets or sets the client secret's hash, made with <see cref="TokenExchangeClientSecret.Hash"/>, for
    /// <c>client_secret_basic</c> and <c>client_secret_post</c>. The secret itself is never stored.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? SecretHash { get; set; }

    /// <summary>
    /// Gets or sets the client's public JWK set (RFC 7517 §5) for <c>private_key_jwt</c> (RFC 7523 §2.2). Read
    /// strictly: duplicate members, private key material and keys too weak for their algorithm are refused at start.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? JwksJson { get; set; }

    /// <summary>Gets the audiences the client may ask for: each one an audience of a target profile. At least one is required.</summary>
    /// <value>The default is empty.</value>
    public IList<string> AllowedAudiences { get; } = new List<string>();

    /// <summary>
    /// Gets the scopes the client may obtain. An issued token carries at most these, whatever the subject token grants;
    /// a <c>scope</c> parameter naming another is refused with <c>invalid_scope</c>. At least one is required.
    /// </summary>
    /// <value>The default is empty.</value>
    public IList<string> AllowedScopes { get; } = new List<string>();
}
