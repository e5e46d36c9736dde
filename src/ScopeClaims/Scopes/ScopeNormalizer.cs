using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// Reads the scopes of any issuer's token, in any shape, into one <see cref="ScopeSet"/>.
/// </summary>
/// <remarks>
/// <para>
/// Reads the claim types of <see cref="ScopeNormalizerOptions.ClaimTypes"/> (<c>scope</c>, <c>scp</c> and the
/// .NET-mapped <see cref="ScopeClaimTypes.MicrosoftScope"/> by default) in every shape issuers use: a space-delimited
/// string (Auth0, Keycloak, Entra ID), a JSON array (Duende, Okta), one <see cref="Claim"/> per array element as
/// .NET produces them, and a claim typed <see cref="JsonClaimValueTypes.JsonArray"/>.
/// </para>
/// <para>
/// Hostile shapes are refused with a <see cref="ScopeFormatException"/> naming the claim and the reason, never
/// coerced: numbers, booleans, null, objects, nested arrays, array elements holding a space (<c>["read", "write admin"]</c>
/// never becomes three scopes), empty strings, characters outside RFC 6749 §3.3, values over the limits.
/// </para>
/// <para>
/// .NET compares claim types ignoring case (<c>ClaimsIdentity.HasClaim</c>, <c>FindAll</c>, <c>RequireClaim</c>), so a
/// claim whose name differs from one of the claim types read only in case (<c>SCOPE</c>, <c>Scp</c>, compared as
/// <see cref="StringComparison.OrdinalIgnoreCase"/>) would be read as a scope claim by the consumer's own checks. Such a
/// claim is refused (<see cref="ScopeErrorReason.ConflictingClaims"/>), alone or beside the claim it imitates, whatever
/// its value.
/// </para>
/// <para>
/// <see cref="ScopeNormalizerOptions.MaxJsonDepth"/> bounds the scope claims; how deeply other claims of a payload nest is
/// left to the token validator.
/// </para>
/// <para>
/// A single string claim cannot be told apart from a one-element array once .NET has turned a token into claims; it is
/// read as a space-delimited string. Read the token itself (<see cref="Read(JsonWebToken)"/>) when the shape matters.
/// </para>
/// </remarks>
public sealed partial class ScopeNormalizer
{
    // Note: a scope claim's characters are widened on the stack up to this length, in a pooled array beyond.
    private const int StackChars = 512;

    // Note: the longest UTF-8 (or \uXXXX-escaped) form of one UTF-16 code unit in a property name.
    private const int MaxBytesPerChar = 6;

    private readonly ScopeNormalizerOptions _options;
    private readonly string[] _claimTypes;
    private readonly byte[][] _utf8ClaimTypes;
    private readonly int _shortestClaimType;
    private readonly int _longestClaimType;
    private readonly bool _asciiClaimTypes;

    /// <summary>Initializes a new instance of the <see cref="ScopeNormalizer"/> class with the default options.</summary>
    public ScopeNormalizer()
        : this(new ScopeNormalizerOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeNormalizer"/> class.</summary>
    /// <param name="options">The options.</param>
    public ScopeNormalizer(ScopeNormalizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClaimTypes.Count == 0 || options.ClaimTypes.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("ScopeNormalizerOptions.ClaimTypes must name at least one claim type, and none may be empty.", nameof(options));
        }

        if (options.MaxPayloadLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxPayloadLength, "ScopeNormalizerOptions.MaxPayloadLength must be at least 2.");
        }

        if (options.MaxJsonDepth < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxJsonDepth, "ScopeNormalizerOptions.MaxJsonDepth must be at least 2.");
        }

        ArgumentNullException.ThrowIfNull(options.Limits);
        _options = options;
        _claimTypes = options.ClaimTypes.ToArray();
        _utf8ClaimTypes = _claimTypes.Select(Encoding.UTF8.GetBytes).ToArray();
        _shortestClaimType = _claimTypes.Min(static t => t.Length);
        _longestClaimType = _claimTypes.Max(static t => t.Length);
        _asciiClaimTypes = _claimTypes.All(static t => Ascii.IsValid(t));
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeNormalizer"/> class from dependency injection.</summary>
    /// <param name="options">The options.</param>
    public ScopeNormalizer(IOptions<ScopeNormalizerOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value)
    {
    }

    /// <summary>Gets the claim types read, in order of preference.</summary>
    internal IReadOnlyList<string> ClaimTypes => _claimTypes;

    /// <summary>Gets a normalizer with the default options.</summary>
    public static ScopeNormalizer Default { get; } = new();

    /// <summary>The scopes of the claims found (indexed like the claim types), as <see cref="ScopeNormalizerOptions.MultipleClaims"/> says.</summary>
    internal ScopeSet Combine(ScopeSet?[] found)
    {
        ScopeSet? result = null;
        string? first = null;
        for (var i = 0; i < found.Length; i++)
        {
            // Note: not a pattern variable; Stryker.NET 5.1.0 cannot mutate a method holding one that a mutant leaves unassigned.
            var set = found[i];
            if (set is null)
            {
                continue;
            }

            if (result is null)
            {
                result = set;
                first = _claimTypes[i];
                if (_options.MultipleClaims == MultipleScopeClaimsBehavior.FirstPresent)
                {
                    break;
                }

                continue;
            }

            if (_options.MultipleClaims == MultipleScopeClaimsBehavior.Union)
            {
                result = result.Union(set);
                if (result.Count > _options.Limits.MaxScopes)
                {
                    throw ScopeParser.Error(ScopeErrorReason.TooManyScopes, _claimTypes[i], string.Create(CultureInfo.InvariantCulture, $"together with the other scope claims holds more than {_options.Limits.MaxScopes} scopes."));
                }
            }
            else if (!result.Equals(set))
            {
                throw ScopeParser.Error(ScopeErrorReason.ConflictingClaims, _claimTypes[i], $"holds a different set of scopes than '{first}'; with several scope claims present they must agree (see ScopeNormalizerOptions.MultipleClaims).");
            }
        }

        return result ?? ScopeSet.Empty;
    }
}
