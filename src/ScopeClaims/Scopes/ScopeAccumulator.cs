using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace ScopeClaims.Internal;

/// <summary>
/// Scopes gathered one at a time (the elements of an array, several claims of one type, a sequence given in code), each
/// checked as it comes: every element one scope, and the total length (the scopes joined by single spaces) and the
/// count within the limits. The one place these running checks are written.
/// </summary>
/// <remarks>A mutable struct: keep it in a local and call it there, never copy it.</remarks>
internal struct ScopeAccumulator
{
    private readonly List<string> _scopes;
    private readonly ScopeLimits _limits;
    private readonly string? _claimName;
    private long _length;

    /// <param name="limits">The limits.</param>
    /// <param name="claimName">The claim, for messages.</param>
    /// <param name="capacity">How many scopes are expected, when known.</param>
    public ScopeAccumulator(ScopeLimits limits, string? claimName, int capacity = 0)
    {
        _scopes = new List<string>(capacity);
        _limits = limits;
        _claimName = claimName;
        _length = 0;
    }

    /// <summary>Gets how many scopes were added: the index of the next element, for messages.</summary>
    public readonly int Count => _scopes.Count;

    /// <summary>Adds an element once it is checked to be one non-empty scope within the grammar and the length limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddElement(string? element)
    {
        ScopeParser.CheckElement(element, _scopes.Count, _limits, _claimName);
        AddScope(element!);
    }

    /// <summary>Adds a scope already checked against the grammar and the length limit (one of a parsed set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddScope(string scope)
    {
        _length += scope.Length + (_scopes.Count == 0 ? 0 : 1);
        if (_length > _limits.MaxTotalLength)
        {
            throw TooLong(_limits, _claimName);
        }

        if (_scopes.Count >= _limits.MaxScopes)
        {
            throw ScopeParser.TooMany(_limits, _claimName);
        }

        _scopes.Add(scope);
    }

    /// <summary>The set of the scopes added, duplicates removed.</summary>
    public readonly ScopeSet ToSet() => ScopeSet.FromValidated(_scopes, null);

    private static ScopeFormatException TooLong(ScopeLimits limits, string? claimName) =>
        ScopeParser.Error(ScopeErrorReason.TooLong, claimName, $"holds more than {limits.MaxTotalLength} characters of scopes. Raise ScopeLimits.MaxTotalLength if this is expected.");
}
