using System;
using System.Collections.Generic;
using System.Text.Json;
using ScopeClaims.Internal;

namespace ScopeClaims;

// The payload reader: what the converter needs from a source payload (issuer, subject, scopes, the claims to copy),
// read in the pass that guards it, and the rules the registered claims it reads are held to.
public sealed partial class ScopeTokenConverter
{
    // Note: 9999-12-31T23:59:59Z, the last second DateTimeOffset represents.
    private const long MaxNumericDate = 253402300799;

    /// <summary>
    /// Reads what the converter needs from a payload in the pass that guards it: the issuer, the scopes (or why they are
    /// refused), and the claims to copy.
    /// </summary>
    private PayloadFacts ReadPayload(ReadOnlySpan<char> encoded)
    {
        var payload = new PayloadReader(_normalizer, _copied);
        Read(encoded, "payload", ref payload);
        if (payload.Malformed)
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token payload is not well-formed JSON.");
        }

        if (payload.Problem is { } problem)
        {
            throw problem;
        }

        var scopeError = payload.ScopeError;
        ScopeSet? scopes = null;
        if (scopeError is null)
        {
            try
            {
                scopes = _normalizer.Combine(payload.Found);
            }
            catch (ScopeFormatException ex)
            {
                scopeError = ex;
            }
        }

        var issuer = payload.Issuer;
        return new PayloadFacts(issuer, issuer is null ? payload.IssuerProblem ?? "The token has no 'iss' claim." : null, payload.Subject, scopes, scopeError, payload.Copied);
    }

    /// <summary>Reads the issuer, the scope claims and the claims to copy as the payload is scanned.</summary>
    /// <param name="normalizer">Reads the scope claims, with the converter's limits.</param>
    /// <param name="copied">The claims to copy, with their UTF-8 names.</param>
    private struct PayloadReader(ScopeNormalizer normalizer, (string Name, byte[] Utf8)[] copied) : IJsonPropertyVisitor
    {
        public string? Issuer;
        public string? IssuerProblem;
        public string? Subject;
        public TokenConversionException? Problem;
        public ScopeSet?[] Found = new ScopeSet?[normalizer.ClaimTypes.Count];
        public ScopeFormatException? ScopeError;
        public Dictionary<string, object>? Copied;
        public bool Malformed;

        public void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
            // Note: a value is read on a copy of the reader, made only for a property that is read; JSON errors are left
            // to the scan, which meets them too.
            try
            {
                if (name.SequenceEqual("iss"u8))
                {
                    var value = reader;
                    value.Read();
                    if (value.TokenType == JsonTokenType.String)
                    {
                        Issuer = value.GetString();
                    }
                    else
                    {
                        IssuerProblem = "The token's 'iss' claim is not a string.";
                    }

                    return;
                }

                if (name.SequenceEqual("sub"u8))
                {
                    var value = reader;
                    value.Read();
                    Subject = value.TokenType == JsonTokenType.String ? value.GetString() : null;
                    if (string.IsNullOrWhiteSpace(Subject))
                    {
                        Problem ??= Refuse(TokenConversionFailure.Malformed, "The token's 'sub' claim must be a non-blank string (RFC 7519 §4.1.2).");
                    }

                    return;
                }

                if (name.SequenceEqual("aud"u8))
                {
                    var value = reader;
                    if (!IsAudience(ref value))
                    {
                        Problem ??= Refuse(TokenConversionFailure.Malformed, "The token's 'aud' claim must be a string or a non-empty array of strings (RFC 7519 §4.1.3).");
                    }

                    return;
                }

                if (name.SequenceEqual("exp"u8) || name.SequenceEqual("nbf"u8) || name.SequenceEqual("iat"u8))
                {
                    var value = reader;
                    value.Read();
                    if (value.TokenType != JsonTokenType.Number || !value.TryGetInt64(out var seconds) || seconds < 0 || seconds > MaxNumericDate)
                    {
                        Problem ??= Refuse(TokenConversionFailure.InvalidLifetime, $"The token's '{System.Text.Encoding.ASCII.GetString(name)}' claim must be a whole number of seconds since 1970 (RFC 7519 NumericDate); strings, fractions and out-of-range values are refused, not rounded.");
                    }

                    return;
                }

                var scopeIndex = normalizer.IndexOfClaimType(name);
                if (scopeIndex >= 0)
                {
                    var value = reader;
                    value.Read();
                    try
                    {
                        Found[scopeIndex] = normalizer.ReadJsonValue(ref value, normalizer.ClaimTypes[scopeIndex]);
                    }
                    catch (ScopeFormatException ex)
                    {
                        ScopeError ??= ex;
                    }

                    return;
                }

                if (normalizer.CaseVariantOf(name) is { } variant)
                {
                    // Note: a claim named like a scope claim in another case would be read as one by a .NET consumer of
                    // the source; ambiguous, so refused (reported after validation, as every scope refusal).
                    ScopeError ??= variant;
                    return;
                }

                for (var i = 0; i < copied.Length; i++)
                {
                    if (name.SequenceEqual(copied[i].Utf8))
                    {
                        var value = reader;
                        value.Read();
                        if (value.TokenType != JsonTokenType.Null)
                        {
                            object claim = value.TokenType == JsonTokenType.String ? value.GetString()! : JsonElement.ParseValue(ref value);
                            (Copied ??= new Dictionary<string, object>(StringComparer.Ordinal))[copied[i].Name] = claim;
                        }

                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                Malformed = true;
            }
        }
    }

    private static bool IsAudience(ref Utf8JsonReader value)
    {
        value.Read();
        if (value.TokenType == JsonTokenType.String)
        {
            return true;
        }

        if (value.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var count = 0;
        while (value.Read() && value.TokenType != JsonTokenType.EndArray)
        {
            if (value.TokenType != JsonTokenType.String)
            {
                return false;
            }

            count++;
        }

        return count > 0;
    }

    /// <summary>What a payload says: its issuer (or why there is none), its scopes (or why they are refused), the claims to copy.</summary>
    private readonly record struct PayloadFacts(string? Issuer, string? IssuerProblem, string? Subject, ScopeSet? Scopes, ScopeFormatException? ScopeError, Dictionary<string, object>? Copied);
}
