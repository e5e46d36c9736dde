using System;
using System.Collections.Generic;

namespace ScopeClaims.Testing.Partner;

/// <summary>One request the <see cref="FakePartner"/>'s token endpoint received, and what it answered.</summary>
/// <remarks>
/// Recorded as sent, secrets included, so that a test can assert exactly what its client sent: this is a test fake,
/// keep its records out of logs you publish.
/// </remarks>
public sealed class FakePartnerTokenRequest
{
    internal FakePartnerTokenRequest(DateTimeOffset receivedAt, string? contentType, IReadOnlyDictionary<string, string> form, string? authorization)
    {
        ReceivedAt = receivedAt;
        ContentType = contentType;
        Form = form;
        Authorization = authorization;
    }

    /// <summary>Gets when the request arrived, on the partner's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets the request's Content-Type header.</summary>
    public string? ContentType { get; }

    /// <summary>Gets the form parameters (each name once; a repeated name is refused and recorded with its first value).</summary>
    public IReadOnlyDictionary<string, string> Form { get; }

    /// <summary>Gets the request's Authorization header.</summary>
    public string? Authorization { get; }

    /// <summary>Gets the <c>grant_type</c> parameter.</summary>
    public string? GrantType => Value("grant_type");

    /// <summary>Gets the JWT-bearer <c>assertion</c> parameter.</summary>
    public string? Assertion => Value("assertion");

    /// <summary>Gets the <c>client_assertion</c> parameter.</summary>
    public string? ClientAssertion => Value("client_assertion");

    /// <summary>Gets the status answered.</summary>
    public int StatusCode { get; internal set; }

    /// <summary>Gets the RFC 6749 error code answered, or <see langword="null"/> when a token was issued.</summary>
    public string? Error { get; internal set; }

    /// <summary>Gets why the request was refused, or what failure it was answered with.</summary>
    public string? ErrorDescription { get; internal set; }

    /// <summary>Gets the access token issued, or <see langword="null"/>.</summary>
    public string? IssuedToken { get; internal set; }

    /// <summary>Gets the scopes granted with <see cref="IssuedToken"/>.</summary>
    public ScopeSet GrantedScopes { get; internal set; } = ScopeSet.Empty;

    /// <inheritdoc/>
    public override string ToString() =>
        IssuedToken is not null ? $"{GrantType}: issued a token ({StatusCode})" : $"{GrantType}: {Error ?? "failed"} ({StatusCode}): {ErrorDescription}";

    private string? Value(string name) => Form.TryGetValue(name, out var value) ? value : null;
}
