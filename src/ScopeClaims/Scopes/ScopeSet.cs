using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// An immutable set of OAuth scopes: the one value type ScopeClaims reads, writes and compares.
/// </summary>
/// <remarks>
/// <para>
/// Every element satisfies RFC 6749 §3.3: <c>scope-token = 1*( %x21 / %x23-5B / %x5D-7E )</c>, that is printable
/// ASCII without space, double quote or backslash. Scopes are case-sensitive and compared ordinally.
/// </para>
/// <para>
/// Elements keep the order of their first appearance and duplicates are removed. Since order carries no meaning
/// in OAuth, two sets are equal when they hold the same scopes, in any order.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var scopes = ScopeSet.Parse("read:a write:b read:a");
/// string asString = scopes.ToString();        // "read:a write:b"
/// IReadOnlyList&lt;string&gt; asArray = scopes;     // ["read:a", "write:b"]
/// </code>
/// </example>
public sealed partial class ScopeSet : IReadOnlyList<string>, IEquatable<ScopeSet>
{
    private readonly string[] _scopes;
    private string? _joined;

    private ScopeSet(string[] scopes, string? joined = null)
    {
        _scopes = scopes;
        _joined = joined;
    }

    /// <summary>Gets the empty set.</summary>
    public static ScopeSet Empty { get; } = new(Array.Empty<string>(), string.Empty);

    /// <summary>Gets the number of distinct scopes.</summary>
    public int Count => _scopes.Length;

    /// <summary>Gets a value indicating whether the set holds no scope.</summary>
    public bool IsEmpty => _scopes.Length == 0;

    /// <summary>Gets the scope at <paramref name="index"/>, in order of first appearance.</summary>
    /// <param name="index">The zero-based index.</param>
    public string this[int index] => _scopes[index];

    /// <summary>Compares two sets for equality (same scopes, any order).</summary>
    public static bool operator ==(ScopeSet? left, ScopeSet? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two sets for inequality.</summary>
    public static bool operator !=(ScopeSet? left, ScopeSet? right) => !(left == right);

    /// <summary>
    /// Parses a space-delimited scope string (RFC 6749 §3.3, RFC 8693 §4.2).
    /// </summary>
    /// <param name="value">The value. Runs of spaces and leading or trailing spaces are tolerated; an empty or all-space value gives <see cref="Empty"/>.</param>
    /// <param name="limits">The limits to enforce, or <see langword="null"/> for the defaults.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ScopeFormatException">
    /// A character outside the grammar (a tab, newline, non-breaking space or any other character is not a separator), or a limit exceeded.
    /// </exception>
    public static ScopeSet Parse(string value, ScopeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ScopeParser.ParseDelimited(value, limits ?? ScopeLimits.Default, claimName: null);
    }

    /// <summary>Tries to parse a space-delimited scope string.</summary>
    /// <param name="value">The value.</param>
    /// <param name="scopes">The set, when the value is valid.</param>
    /// <param name="limits">The limits to enforce, or <see langword="null"/> for the defaults.</param>
    /// <returns><see langword="true"/> when the value is valid.</returns>
    public static bool TryParse(string? value, out ScopeSet scopes, ScopeLimits? limits = null)
    {
        scopes = Empty;
        if (value is null)
        {
            return false;
        }

        try
        {
            scopes = ScopeParser.ParseDelimited(value, limits ?? ScopeLimits.Default, claimName: null);
            return true;
        }
        catch (ScopeFormatException)
        {
            return false;
        }
    }

    /// <summary>Builds a set from a sequence of individual scopes.</summary>
    /// <param name="scopes">The scopes; each one must be a single non-empty scope token (no spaces).</param>
    /// <param name="limits">The limits to enforce, or <see langword="null"/> for the defaults.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scopes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ScopeFormatException">An element is null, empty, holds a space or another character outside the grammar, or a limit is exceeded.</exception>
    public static ScopeSet Create(IEnumerable<string> scopes, ScopeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return ScopeParser.FromElements(scopes, limits ?? ScopeLimits.Default, claimName: null);
    }

    /// <summary>Builds a set from individual scopes.</summary>
    /// <param name="scopes">The scopes; each one must be a single non-empty scope token.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ScopeFormatException">An element is invalid.</exception>
    public static ScopeSet Create(params string[] scopes) => Create((IEnumerable<string>)scopes);

    /// <summary>Gets a value indicating whether <paramref name="scope"/> is one valid RFC 6749 scope token.</summary>
    /// <param name="scope">The candidate.</param>
    /// <returns><see langword="true"/> when it is non-empty and every character is in the grammar.</returns>
    public static bool IsValidScope(string? scope)
    {
        if (string.IsNullOrEmpty(scope))
        {
            return false;
        }

        foreach (var c in scope)
        {
            if (!ScopeGrammar.IsScopeChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Gets a value indicating whether the set holds <paramref name="scope"/> (ordinal comparison).</summary>
    /// <param name="scope">The scope.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Contains(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Array.IndexOf(_scopes, scope) >= 0;
    }

    /// <summary>Gets a value indicating whether every scope of this set is in <paramref name="other"/>.</summary>
    /// <param name="other">The other set.</param>
    /// <returns><see langword="true"/> when this set is a subset of <paramref name="other"/>.</returns>
    public bool IsSubsetOf(ScopeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var scope in _scopes)
        {
            if (!other.Contains(scope))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the scopes of this set that are also in <paramref name="other"/>, in this set's order.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>The intersection.</returns>
    public ScopeSet Intersect(ScopeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsSubsetOf(other))
        {
            return this;
        }

        var kept = new List<string>(_scopes.Length);
        foreach (var scope in _scopes)
        {
            if (other.Contains(scope))
            {
                kept.Add(scope);
            }
        }

        return kept.Count == 0 ? Empty : new ScopeSet(kept.ToArray());
    }

    /// <summary>Returns the scopes of this set followed by those of <paramref name="other"/> it lacks.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>The union.</returns>
    public ScopeSet Union(ScopeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsSubsetOf(this))
        {
            return this;
        }

        var all = new List<string>(_scopes);
        foreach (var scope in other._scopes)
        {
            if (!Contains(scope))
            {
                all.Add(scope);
            }
        }

        return new ScopeSet(all.ToArray());
    }

    /// <summary>Renders the set as an array, in order of first appearance.</summary>
    /// <returns>A new array.</returns>
    public string[] ToArray() => (string[])_scopes.Clone();

    /// <summary>Renders the set as a space-delimited string (RFC 8693 §4.2); the empty set gives an empty string.</summary>
    /// <returns>The scopes joined by single spaces.</returns>
    public override string ToString() => _joined ??= string.Join(' ', _scopes);

    /// <inheritdoc/>
    public bool Equals(ScopeSet? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null && other._scopes.Length == _scopes.Length && IsSubsetOf(other);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ScopeSet);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Order-independent, to agree with Equals.
        var hash = _scopes.Length;
        foreach (var scope in _scopes)
        {
            hash ^= StringComparer.Ordinal.GetHashCode(scope);
        }

        return hash;
    }

    /// <inheritdoc/>
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_scopes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _scopes.GetEnumerator();

    internal static string Describe(char c) => string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
}
