using System;
using System.Security.Cryptography;

namespace ScopeClaims.Internal;

/// <summary>
/// 128-bit random values for <c>jti</c>, cut from a per-thread block of <see cref="RandomNumberGenerator"/> output:
/// one call to the platform's CSPRNG serves 64 tokens (a call costs about as much as signing an HS256 token). Every
/// byte is handed out once.
/// </summary>
internal static class JwtIdRandom
{
    private const int Size = 16;
    private const int Block = 64 * Size;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_offset;

    public static ReadOnlySpan<byte> Next()
    {
        var block = t_block;
        if (block is null || t_offset >= Block)
        {
            block = t_block ??= new byte[Block];
            RandomNumberGenerator.Fill(block);
            t_offset = 0;
        }

        var value = block.AsSpan(t_offset, Size);
        t_offset += Size;
        return value;
    }
}
