using System;
using System.Collections.Generic;
using System.Text.Json;
using ScopeClaims.Testing.Internal;

namespace ScopeClaims.Testing;

/// <summary>
/// What a token says, read <em>without validating it</em>: header and payload JSON, the scope claims present and their
/// shapes, and the normalized scopes. Made by <see cref="TokenInspector.InspectUnvalidated"/>.
/// </summary>
/// <remarks>
/// Nothing here has been checked: not the signature, issuer, audience nor lifetime. Use it to assert what your code
/// wrote, never to decide whether to trust a token; for that, validate it (see
/// <see cref="ScopeTokenAssertions.IsValidAgainstJwks"/>).
/// </remarks>
public sealed class TokenInspection
{
    internal TokenInspection(string headerJson, JsonElement header, string payloadJson, JsonElement payload, bool hasSignature)
    {
        HeaderJson = headerJson;
        Header = header;
        PayloadJson = payloadJson;
        Payload = payload;
        Algorithm = HeaderString("alg");
        KeyId = HeaderString("kid");
        TokenType = HeaderString("typ");
        IsSigned = hasSignature && Algorithm is not null && !string.Equals(Algorithm, "none", StringComparison.OrdinalIgnoreCase);
        IssuedAtClaim = NumericDate.Read(payload, "iat");
        NotBeforeClaim = NumericDate.Read(payload, "nbf");
        ExpiresAtClaim = NumericDate.Read(payload, "exp");

        var present = new List<ScopeClaimInspection>();
        foreach (var type in ScopeClaimTypes.All)
        {
            if (payload.TryGetProperty(type, out var value))
            {
                present.Add(ScopeClaimInspection.From(type, value));
            }
        }

        ScopeClaims = present;
        try
        {
            Scopes = ScopeNormalizer.Default.ReadPayloadJson(payloadJson);
        }
        catch (ScopeFormatException ex)
        {
            ScopeError = ex;
        }
    }

    /// <summary>Gets the decoded header (JOSE header) as JSON text.</summary>
    public string HeaderJson { get; }

    /// <summary>Gets the decoded header as a JSON object.</summary>
    public JsonElement Header { get; }

    /// <summary>Gets the decoded payload (claims) as JSON text.</summary>
    public string PayloadJson { get; }

    /// <summary>Gets the decoded payload as a JSON object.</summary>
    public JsonElement Payload { get; }

    /// <summary>Gets the <c>alg</c> header, or <see langword="null"/> when absent or not a string.</summary>
    public string? Algorithm { get; }

    /// <summary>Gets the <c>kid</c> header, or <see langword="null"/> when absent or not a string.</summary>
    public string? KeyId { get; }

    /// <summary>Gets the <c>typ</c> header, or <see langword="null"/> when absent or not a string.</summary>
    public string? TokenType { get; }

    /// <summary>Gets a value indicating whether the token carries a signature and an <c>alg</c> other than <c>none</c>. The signature is not verified.</summary>
    public bool IsSigned { get; }

    /// <summary>Gets the <c>iat</c> claim, or <see langword="null"/> when absent, not a JSON number, or outside the years 1 to 9999.</summary>
    /// <remarks>Truncated to 100 ns for this property; the kit's own checks compare the claim's exact value.</remarks>
    public DateTimeOffset? IssuedAt => IssuedAtClaim.Time;

    /// <summary>Gets the <c>nbf</c> claim, or <see langword="null"/> when absent, not a JSON number, or outside the years 1 to 9999.</summary>
    /// <remarks>Truncated to 100 ns for this property; the kit's own checks compare the claim's exact value.</remarks>
    public DateTimeOffset? NotBefore => NotBeforeClaim.Time;

    /// <summary>Gets the <c>exp</c> claim, or <see langword="null"/> when absent, not a JSON number, or outside the years 1 to 9999.</summary>
    /// <remarks>Truncated to 100 ns for this property; the kit's own checks compare the claim's exact value.</remarks>
    public DateTimeOffset? ExpiresAt => ExpiresAtClaim.Time;

    /// <summary>Gets the <c>iat</c> claim read exactly.</summary>
    internal NumericDate IssuedAtClaim { get; }

    /// <summary>Gets the <c>nbf</c> claim read exactly.</summary>
    internal NumericDate NotBeforeClaim { get; }

    /// <summary>Gets the <c>exp</c> claim read exactly.</summary>
    internal NumericDate ExpiresAtClaim { get; }

    /// <summary>Gets the standard scope claims present (<see cref="ScopeClaimTypes.All"/>: <c>scope</c>, <c>scp</c>, <see cref="ScopeClaimTypes.MicrosoftScope"/>), in that order, each with its shape.</summary>
    public IReadOnlyList<ScopeClaimInspection> ScopeClaims { get; }

    /// <summary>
    /// Gets the scopes as <see cref="ScopeNormalizer.Default"/> reads them from the payload; <see cref="ScopeSet.Empty"/>
    /// when no scope claim is present, <see langword="null"/> when the normalizer refused them (see <see cref="ScopeError"/>).
    /// </summary>
    public ScopeSet? Scopes { get; }

    /// <summary>Gets why the normalizer refused the scope claims, or <see langword="null"/> when it read them.</summary>
    public ScopeFormatException? ScopeError { get; }

    /// <summary>Describes any payload claim as a scope claim: its shape, values and JSON. Works for custom names such as <c>scopes_array</c>.</summary>
    /// <param name="claimName">The claim name (case-sensitive).</param>
    /// <returns>The claim; its <see cref="ScopeClaimInspection.Shape"/> is <see cref="ScopeClaimShape.Absent"/> when the payload lacks it.</returns>
    public ScopeClaimInspection GetScopeClaim(string claimName)
    {
        ArgumentNullException.ThrowIfNull(claimName);
        return Payload.TryGetProperty(claimName, out var value) ? ScopeClaimInspection.From(claimName, value) : ScopeClaimInspection.Absent(claimName);
    }

    /// <summary>Gets a value indicating whether the payload has a claim of this name (case-sensitive).</summary>
    /// <param name="claimName">The claim name.</param>
    /// <returns><see langword="true"/> when present, whatever its value.</returns>
    public bool HasClaim(string claimName)
    {
        ArgumentNullException.ThrowIfNull(claimName);
        return Payload.TryGetProperty(claimName, out _);
    }

    private string? HeaderString(string name) =>
        Header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
