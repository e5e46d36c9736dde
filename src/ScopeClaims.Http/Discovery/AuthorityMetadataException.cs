using System;

namespace ScopeClaims.Http;

/// <summary>
/// The authorization server's metadata (RFC 8414), read because <c>Authority</c> is set, cannot be used: it could not
/// be fetched, it is not one JSON object (a member named twice included), its <c>issuer</c> is not the authority, its
/// <c>token_endpoint</c> is missing or not an <c>https</c> URL, or it does not advertise the configured client
/// authentication method (or grant type). The message says which; it never quotes the body. Nothing is cached: the
/// next request reads the metadata again.
/// </summary>
public sealed class AuthorityMetadataException : JwtBearerGrantException
{
    /// <summary>Initializes a new instance of the <see cref="AuthorityMetadataException"/> class.</summary>
    public AuthorityMetadataException()
        : base("The authorization server's metadata cannot be used.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuthorityMetadataException"/> class.</summary>
    /// <param name="message">The message.</param>
    public AuthorityMetadataException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuthorityMetadataException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public AuthorityMetadataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuthorityMetadataException"/> class.</summary>
    /// <param name="authority">The authority whose metadata was read.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public AuthorityMetadataException(Uri? authority, string problem, Exception? innerException = null)
        : base($"The metadata of the authorization server {authority} cannot be used: {problem}.", innerException)
    {
        Authority = authority;
    }

    /// <summary>Gets the authority whose metadata was read, or <see langword="null"/> when unknown.</summary>
    public Uri? Authority { get; }
}
