using System;
using System.Globalization;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// A partner access token and the instant it expires. Cached as a string, so that every HybridCache serializer can
/// hold it (AOT included): <c>v1|&lt;expiry, Unix ms&gt;|&lt;token&gt;</c>.
/// </summary>
internal sealed class PartnerToken
{
    private const string Cached = "v1|";

    // Note: a token too short-lived to cache is handed to the callers waiting on its fetch under another prefix,
    // so that they use it although it is not fresh; it is never written to the cache.
    private const string SingleUse = "v1-once|";

    public PartnerToken(string accessToken, DateTimeOffset expiresAt, bool isSingleUse = false)
    {
        AccessToken = accessToken;
        ExpiresAt = expiresAt;
        IsSingleUse = isSingleUse;
    }

    public string AccessToken { get; }

    public DateTimeOffset ExpiresAt { get; }

    public bool IsSingleUse { get; }

    /// <summary>Reads an entry written by <see cref="Encode"/>; <see langword="null"/> for anything else (another version's or a foreign entry).</summary>
    public static PartnerToken? Decode(string? entry)
    {
        var prefix = entry switch
        {
            null => null,
            _ when entry.StartsWith(Cached, StringComparison.Ordinal) => Cached,
            _ when entry.StartsWith(SingleUse, StringComparison.Ordinal) => SingleUse,
            _ => null,
        };
        if (prefix is null)
        {
            return null;
        }

        var rest = entry.AsSpan(prefix.Length);
        var bar = rest.IndexOf('|');
        if (bar <= 0 || bar == rest.Length - 1
            || !long.TryParse(rest[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return null;
        }

        return new PartnerToken(rest[(bar + 1)..].ToString(), DateTimeOffset.FromUnixTimeMilliseconds(expires), ReferenceEquals(prefix, SingleUse));
    }

    public string Encode() => string.Create(CultureInfo.InvariantCulture, $"{(IsSingleUse ? SingleUse : Cached)}{ExpiresAt.ToUnixTimeMilliseconds()}|{AccessToken}");

    public PartnerToken AsSingleUse() => new(AccessToken, ExpiresAt, isSingleUse: true);
}
