using System;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScopeClaims.Internal;

// The one-pass parser of a space-delimited value: grammar checked a vector at a time, duplicates found on the characters.
internal static partial class ScopeParser
{
    /// <summary>
    /// The distinct scopes of a delimited value, found on its characters: spaces located a vector at a time, each scope
    /// checked against the limits, hashed, and looked up in an open-addressing table of the scopes kept so far; only a
    /// new scope becomes a string (a reused one when <see cref="ScopeStrings"/> has it).
    /// </summary>
    private ref struct DistinctScopes
    {
        private readonly ReadOnlySpan<char> _value;
        private readonly string? _source;
        private readonly ScopeLimits _limits;
        private readonly string? _claimName;
        private readonly Span<int> _hashes;
        private readonly Span<int> _table;
        private readonly string[] _scopes;
        private int _tokens;
        private int _distinct;
        private bool _canonical;

        public DistinctScopes(ReadOnlySpan<char> value, string? source, ScopeLimits limits, string? claimName, Span<int> ints, int bound, int tableSize)
        {
            _value = value;
            _source = source;
            _limits = limits;
            _claimName = claimName;
            _hashes = ints[..bound];
            _table = ints.Slice(bound, tableSize);
            _table.Clear();

            // Note: exact when the value is canonical (one space between scopes), trimmed otherwise.
            _scopes = new string[bound];
            _tokens = 0;
            _distinct = 0;
            _canonical = true;
        }

        public void AddAll()
        {
            var value = _value;
            var start = 0;
            var i = 0;
            ref var first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(value));
            // Each block: which characters are spaces, and whether any is outside the grammar (below '!', above '~', a quote or a backslash).
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= value.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
                {
                    var block = Vector256.LoadUnsafe(ref first, (nuint)i);
                    var outside = Vector256.GreaterThan(block - Vector256.Create((ushort)'!'), Vector256.Create((ushort)('~' - '!')))
                        | Vector256.Equals(block, Vector256.Create((ushort)'"')) | Vector256.Equals(block, Vector256.Create((ushort)'\\'));
                    var spaces = Vector256.Equals(block, Vector256.Create((ushort)' '));
                    start = Block(start, i, spaces.ExtractMostSignificantBits(), Vector256.AndNot(outside, spaces) != Vector256<ushort>.Zero);
                }
            }

            if (Vector128.IsHardwareAccelerated)
            {
                for (; i <= value.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
                {
                    var block = Vector128.LoadUnsafe(ref first, (nuint)i);
                    var outside = Vector128.GreaterThan(block - Vector128.Create((ushort)'!'), Vector128.Create((ushort)('~' - '!')))
                        | Vector128.Equals(block, Vector128.Create((ushort)'"')) | Vector128.Equals(block, Vector128.Create((ushort)'\\'));
                    var spaces = Vector128.Equals(block, Vector128.Create((ushort)' '));
                    start = Block(start, i, spaces.ExtractMostSignificantBits(), Vector128.AndNot(outside, spaces) != Vector128<ushort>.Zero);
                }
            }

            for (; i < value.Length; i++)
            {
                var c = value[i];
                if (c == ' ')
                {
                    start = Space(start, i);
                }
                else if (!ScopeGrammar.IsScopeChar(c))
                {
                    ThrowInvalidCharacter(i);
                }
            }

            if (start < value.Length)
            {
                Add(start, value.Length - start);
            }
            else
            {
                _canonical = false;
            }
        }

        public readonly ScopeSet ToSet()
        {
            if (_distinct == 0)
            {
                return ScopeSet.Empty;
            }

            var scopes = _scopes;
            if (_distinct < scopes.Length)
            {
                Array.Resize(ref scopes, _distinct);
            }

            // Canonical (single spaces between scopes, none around them, no duplicate): ToString() returns the input itself.
            return ScopeSet.FromDistinct(scopes, _canonical && _distinct == _tokens ? _source : null);
        }

        /// <summary>One block of characters at <paramref name="at"/>: refused if any is outside the grammar, else each space (a bit of <paramref name="spaces"/>) ends a scope.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Block(int start, int at, uint spaces, bool outside)
        {
            if (outside)
            {
                ThrowInvalidCharacter(at);
            }

            for (; spaces != 0; spaces &= spaces - 1)
            {
                start = Space(start, at + BitOperations.TrailingZeroCount(spaces));
            }

            return start;
        }

        /// <summary>A space at <paramref name="position"/> ends the scope begun at <paramref name="start"/>, if any; returns where the next one begins.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Space(int start, int position)
        {
            if (position > start)
            {
                Add(start, position - start);
            }
            else
            {
                _canonical = false;
            }

            return position + 1;
        }

        /// <summary>Throws for the first character outside the grammar at or after <paramref name="from"/>.</summary>
        private readonly void ThrowInvalidCharacter(int from)
        {
            var bad = from + ScopeGrammar.IndexOfInvalidDelimited(_value[from..]);
            throw InvalidCharacter(_claimName, _value[bad], bad);
        }

        /// <summary>Before a limit is reported: a character outside the grammar anywhere in the value is reported first.</summary>
        private readonly void ThrowIfAnyInvalidCharacter()
        {
            if (ScopeGrammar.IndexOfInvalidDelimited(_value) >= 0)
            {
                ThrowInvalidCharacter(0);
            }
        }

        private void Add(int start, int length)
        {
            if (length > _limits.MaxScopeLength)
            {
                ThrowIfAnyInvalidCharacter();
                throw Error(ScopeErrorReason.ScopeTooLong, _claimName, string.Create(CultureInfo.InvariantCulture, $"has a scope of {length} characters at position {start}; the limit is {_limits.MaxScopeLength}."));
            }

            if (++_tokens > _limits.MaxScopes || _tokens > MaxBound)
            {
                ThrowIfAnyInvalidCharacter();
                throw TooMany(_limits, _claimName);
            }

            var token = _value.Slice(start, length);
            var hash = ScopeStrings.Hash(token);
            var mask = _table.Length - 1;
            for (var slot = hash & mask; ; slot = (slot + 1) & mask)
            {
                var entry = _table[slot] - 1;
                if (entry < 0)
                {
                    _scopes[_distinct] = ScopeStrings.Get(token, hash, _source, start);
                    _hashes[_distinct] = hash;
                    _table[slot] = ++_distinct;
                    return;
                }

                if (_hashes[entry] == hash && token.SequenceEqual(_scopes[entry]))
                {
                    return;
                }
            }
        }
    }
}
