using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ScopeClaims.Internal;

/// <summary>
/// Reads a small file given by configuration or on a command line (a key, a certificate, a JWKS) whole, without ever
/// hanging or exhausting memory: only a regular file (or a symbolic link to one) is opened, its type checked before it
/// is opened, and at most <see cref="MaxBytes"/> are read whatever the file system says its length is.
/// </summary>
/// <remarks>
/// <para>
/// .NET reports a FIFO, a character device (<c>/dev/zero</c>, <c>/dev/urandom</c>) and an empty regular file alike
/// (attributes <c>Normal</c>, length 0), and opening a FIFO for reading blocks until a writer comes. So on Linux the
/// type is read with <c>statx(2)</c> (following symbolic links) before the file is opened. Where <c>statx</c> is not
/// available (other systems, an old C library, a sandbox that forbids it), a path is refused unless it names an
/// existing non-directory of non-zero length: FIFOs and devices report a length of 0. After opening, a stream that
/// cannot seek (a pipe or a device on any system) is refused too.
/// </para>
/// <para>
/// Failures are returned as a reason that never quotes the file's content; <see cref="Describe"/> shows a path in a
/// message only when it looks like one, so key material pasted where a path belongs is never echoed.
/// </para>
/// </remarks>
internal static partial class BoundedFile
{
    /// <summary>The largest file read: 1 MiB, far above any key, certificate chain, PKCS#12 bundle or JWKS in use.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>How <see cref="MaxBytes"/> reads in a message.</summary>
    public const string MaxBytesText = "1 MiB";

    // The file type bits of st_mode (S_IFMT and its values), the same on every Unix.
    private const int TypeMask = 0xF000;
    private const int TypeRegular = 0x8000;
    private const int TypeDirectory = 0x4000;
    private const int TypeCharacterDevice = 0x2000;
    private const int TypeBlockDevice = 0x6000;
    private const int TypeFifo = 0x1000;
    private const int TypeSocket = 0xC000;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static volatile bool s_statxUnavailable = !OperatingSystem.IsLinux();

    /// <summary>Reads a whole file of at most <see cref="MaxBytes"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="content">The bytes read, or <see langword="null"/>.</param>
    /// <param name="failure">Why nothing was read, as a clause such as "is a FIFO, not a regular file"; never the content.</param>
    /// <returns><see langword="true"/> when the file was read.</returns>
    public static bool TryRead(string? path, [NotNullWhen(true)] out byte[]? content, [NotNullWhen(false)] out string? failure) =>
        TryRead(path, MaxBytes, out content, out failure);

    /// <summary>Reads a whole file of at most <paramref name="maxBytes"/>.</summary>
    public static bool TryRead(string? path, int maxBytes, [NotNullWhen(true)] out byte[]? content, [NotNullWhen(false)] out string? failure)
    {
        content = null;
        failure = Check(path);
        if (failure is not null)
        {
            return false;
        }

        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 0 };
            using var stream = new FileStream(path!, options);
            if (!stream.CanSeek)
            {
                failure = "is not a regular file (a pipe or a device)";
                return false;
            }

            return ReadAtMost(stream, maxBytes, out content, out failure);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            failure = Reason(ex);
            return false;
        }
    }

    /// <summary>Reads a whole text file of at most <see cref="MaxBytes"/>, as strict UTF-8 (a byte order mark is skipped).</summary>
    /// <param name="path">The path.</param>
    /// <param name="text">The text read, or <see langword="null"/>.</param>
    /// <param name="failure">Why nothing was read; never the content.</param>
    /// <returns><see langword="true"/> when the file was read.</returns>
    public static bool TryReadText(string? path, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? failure)
    {
        text = null;
        if (!TryRead(path, MaxBytes, out var bytes, out failure))
        {
            return false;
        }

        try
        {
            var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            text = s_strictUtf8.GetString(bytes, start, bytes.Length - start);
            return true;
        }
        catch (DecoderFallbackException)
        {
            failure = "is not UTF-8 text";
            return false;
        }
        finally
        {
            // Note: the bytes may be a private key; the copy handed out is the text.
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Shows <paramref name="path"/> quoted for a message, when it looks like a path: short, one line, without the
    /// characters of PEM, JSON or a control character. Anything else (often key content pasted where a path belongs) is
    /// not shown.
    /// </summary>
    public static string Describe(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "(empty)";
        }

        foreach (var c in path)
        {
            if (char.IsControl(c) || c is '{' or '}' or '"')
            {
                return "(not shown: it does not look like a path)";
            }
        }

        return path.Length > 260 || path.Contains("-----", StringComparison.Ordinal) || LooksLikeASecret(path)
            ? "(not shown: it does not look like a path)"
            : $"'{path}'";
    }

    // Note: 16 or more base64/base64url characters with no '/' or '.' is what a secret pasted where a path belongs looks
    // like (an HMAC key, a password); a file name that happens to look the same is not shown either, which costs little.
    private static bool LooksLikeASecret(string value)
    {
        if (value.Length < 16)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '_' or '='))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks the path and the file's type without opening it; returns why it is not a regular file (or a link to one), or <see langword="null"/>.</summary>
    public static string? Check(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "is empty: no path was given";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character, which no file name can hold";
        }

        if (!s_statxUnavailable)
        {
            var reason = CheckWithStatx(path, out var available);
            if (available)
            {
                return reason;
            }

            s_statxUnavailable = true;
        }

        return CheckPortably(path);
    }

    private static string? CheckWithStatx(string path, out bool available)
    {
        available = true;
        var buffer = new byte[StatxSize];
        int result;
        int errno;
        try
        {
            result = Statx(AtFdCwd, path, 0, StatxType, buffer);
            errno = Marshal.GetLastPInvokeError();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            available = false;
            return null;
        }

        if (result != 0)
        {
            switch (errno)
            {
                case 2 or 20: // ENOENT, ENOTDIR
                    return "does not exist";
                case 13: // EACCES
                    return "cannot be reached: permission denied";
                case 36: // ENAMETOOLONG
                    return "is too long a path";
                case 40: // ELOOP
                    return "is a loop of symbolic links";
                case 1 or 38: // EPERM (a sandbox), ENOSYS (an old kernel)
                    available = false;
                    return null;
                default:
                    return $"could not be examined (error {errno})";
            }
        }

        if ((BitConverter.ToUInt32(buffer, 0) & StatxType) == 0)
        {
            available = false;
            return null;
        }

        return (BitConverter.ToUInt16(buffer, StatxModeOffset) & TypeMask) switch
        {
            TypeRegular => null,
            TypeDirectory => "is a directory, not a file",
            TypeFifo => "is a FIFO (named pipe), not a regular file",
            TypeCharacterDevice => "is a character device, not a regular file",
            TypeBlockDevice => "is a block device, not a regular file",
            TypeSocket => "is a socket, not a regular file",
            _ => "is not a regular file",
        };
    }

    /// <summary>The check where <c>statx</c> is not available; internal so that tests reach it on Linux too.</summary>
    internal static string? CheckPortably(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return "is a directory, not a file";
            }

            FileSystemInfo info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            }

            if (info is not FileInfo file || !file.Exists)
            {
                return info is DirectoryInfo ? "is a directory, not a file" : "does not exist";
            }

            // Note: FIFOs, devices and sockets report a length of 0; so does an empty file, which holds no key either.
            return file.Length == 0 ? "is empty, or not a regular file (a FIFO, device or socket)" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Reason(ex);
        }
    }

    private static bool ReadAtMost(FileStream stream, int maxBytes, [NotNullWhen(true)] out byte[]? content, [NotNullWhen(false)] out string? failure)
    {
        // Note: the length a file reports is not trusted (/proc reports 0, a growing file more); read until the end or
        // one byte past the limit.
        var buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    CryptographicOperations.ZeroMemory(buffer);
                    content = null;
                    failure = $"is larger than {(maxBytes == MaxBytes ? MaxBytesText : maxBytes + " bytes")}, the limit for a key, certificate or JWKS file";
                    return false;
                }

                var larger = new byte[(int)Math.Min((long)maxBytes + 1, buffer.Length * 2L)];
                buffer.AsSpan().CopyTo(larger);
                CryptographicOperations.ZeroMemory(buffer);
                buffer = larger;
            }

            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        if (length == 0)
        {
            CryptographicOperations.ZeroMemory(buffer);
            content = null;
            failure = "is empty";
            return false;
        }

        content = buffer.AsSpan(0, length).ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        failure = null;
        return true;
    }

    private static string Reason(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "does not exist",
        UnauthorizedAccessException => "cannot be read: permission denied",
        PathTooLongException => "is too long a path",
        IOException => $"could not be read ({exception.GetType().Name})",
        _ => $"is not a valid path ({exception.GetType().Name})",
    };

    // statx(2) has one layout on every Linux architecture: stx_mask (u32) at 0, stx_mode (u16) at 28, 256 bytes in all.
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
