namespace ScopeClaims.Internal;

/// <summary>RFC 6749 §3.3: <c>scope-token = 1*( %x21 / %x23-5B / %x5D-7E )</c>.</summary>
internal static class ScopeGrammar
{
    public static bool IsScopeChar(char c) => c == '\x21' || (c >= '\x23' && c <= '\x5B') || (c >= '\x5D' && c <= '\x7E');
}
