using System;

namespace ScopeClaims;

/// <summary>The state of one inbound issuer of a converter, as <see cref="ScopeClaimsStatus"/> reports it.</summary>
public sealed class InboundIssuerStatus
{
    internal InboundIssuerStatus(string issuer, bool usesMetadata, DateTimeOffset? lastFetchedAt, string? lastError, DateTimeOffset? lastSucceededAt, int keyCount)
    {
        Issuer = issuer;
        UsesMetadata = usesMetadata;
        LastFetchedAt = lastFetchedAt;
        LastError = lastError;
        LastSucceededAt = lastSucceededAt;
        KeyCount = keyCount;
    }

    /// <summary>Gets the configured <c>iss</c> of the inbound issuer.</summary>
    public string Issuer { get; }

    /// <summary>Gets a value indicating whether the keys come from OpenID Connect metadata (else they are configured).</summary>
    public bool UsesMetadata { get; }

    /// <summary>Gets when the metadata was last fetched, or <see langword="null"/> when it never was (or the keys are configured).</summary>
    public DateTimeOffset? LastFetchedAt { get; }

    /// <summary>Gets the type name of the exception the latest fetch failed with, or <see langword="null"/> when it succeeded.</summary>
    public string? LastError { get; }

    /// <summary>Gets when a fetch last succeeded, or <see langword="null"/> when none has.</summary>
    public DateTimeOffset? LastSucceededAt { get; }

    /// <summary>Gets the number of signing keys: those the last successful fetch gave, or those configured.</summary>
    public int KeyCount { get; }
}
