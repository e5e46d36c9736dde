using System;
using System.Text.Json;

namespace ScopeClaims.Internal;

// The JWK's shape, seen as JsonGuard scans it once: the member types, a set, a multi-prime key.
internal static partial class JwkImport
{
    /// <summary>What <see cref="JsonGuard"/> sees of the JWK's members: a set, multi-prime, a member of the wrong JSON type.</summary>
    private struct JwkShape : IJsonPropertyVisitor
    {
        private static readonly string[] s_strings = { "kty", "use", "alg", "kid", "crv", "n", "e", "d", "p", "q", "dp", "dq", "qi", "x", "y", "k", "x5u", "x5t", "x5t#S256" };
        private static readonly string[] s_arrays = { "key_ops", "x5c" };

        public bool IsSet { get; private set; }

        public bool MultiPrime { get; private set; }

        public bool HasKeyOps { get; private set; }

        /// <summary>Gets the first member (one of this class's own names, never the input's) whose value has the wrong type.</summary>
        public string? WrongType { get; private set; }

        public void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
            if (name.SequenceEqual("keys"u8))
            {
                IsSet = true;
                return;
            }

            if (name.SequenceEqual("oth"u8))
            {
                MultiPrime = true;
                return;
            }

            var value = reader;
            try
            {
                if (!value.Read())
                {
                    return;
                }
            }
            catch (JsonException)
            {
                // Note: the guard reports malformed JSON itself.
                return;
            }

            if (name.SequenceEqual("key_ops"u8))
            {
                HasKeyOps = true;
            }

            // Note: an array of anything but strings counts as the wrong type too (key_ops and x5c hold strings).
            var type = value.TokenType == JsonTokenType.StartArray && !OnlyStrings(value) ? JsonTokenType.None : value.TokenType;
            Expect(name, s_strings, type, JsonTokenType.String);
            Expect(name, s_arrays, type, JsonTokenType.StartArray);
        }

        /// <summary>Whether the array <paramref name="array"/> is on holds strings only.</summary>
        private static bool OnlyStrings(Utf8JsonReader array)
        {
            try
            {
                while (array.Read() && array.TokenType != JsonTokenType.EndArray)
                {
                    if (array.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }
                }

                return true;
            }
            catch (JsonException)
            {
                return true;
            }
        }

        private void Expect(ReadOnlySpan<byte> name, string[] members, JsonTokenType actual, JsonTokenType expected)
        {
            if (WrongType is not null || actual == expected)
            {
                return;
            }

            foreach (var member in members)
            {
                if (name.Length == member.Length && Matches(name, member))
                {
                    WrongType = member;
                    return;
                }
            }
        }

        // Note: the member names are ASCII, so a byte compares with a char.
        private static bool Matches(ReadOnlySpan<byte> name, string member)
        {
            for (var i = 0; i < member.Length; i++)
            {
                if (name[i] != member[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
