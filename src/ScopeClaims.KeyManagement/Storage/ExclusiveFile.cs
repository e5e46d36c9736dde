using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ScopeClaims.KeyManagement.Internal;

/// <summary>
/// Gives a complete file its final name unless that name exists, as one step of the operating system: of several
/// processes that race to publish one name, exactly one succeeds and the others are told the name exists.
/// </summary>
/// <remarks>
/// <see cref="File.Move(string, string, bool)"/> without overwrite is not that on Unix: .NET checks that the target does
/// not exist and then calls <c>rename(2)</c>, which replaces a file another process put there in between, so two
/// processes can both "create" one name and the first one's file is lost. On Unix the file is published with
/// <c>link(2)</c> instead, which fails with <c>EEXIST</c> when the name exists; on Windows <c>MoveFileEx</c> without
/// <c>MOVEFILE_REPLACE_EXISTING</c> already fails that way. What is promised is exclusivity and whole reads: the new
/// directory entry is not flushed to disk (neither was the rename it replaces).
/// </remarks>
internal static partial class ExclusiveFile
{
    // errno values: the same on Linux and macOS up to 34; beyond, they differ.
    private const int EPERM = 1;
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int EXDEV = 18;
    private const int LinuxENOSYS = 38;
    private const int LinuxEOPNOTSUPP = 95;
    private const int MacENOTSUP = 45;
    private const int MacENOSYS = 78;
    private const int MacEOPNOTSUPP = 102;

    /// <summary>Gives the complete file <paramref name="temporary"/> the name <paramref name="target"/> too, unless it exists.</summary>
    /// <returns><see langword="false"/> when <paramref name="target"/> exists (it is left as it is).</returns>
    /// <remarks>The caller deletes <paramref name="temporary"/> afterwards (on Unix it keeps its name as well).</remarks>
    /// <exception cref="HardLinksUnsupportedException">The file system refused the hard link (Unix).</exception>
    /// <exception cref="IOException">The name could not be given; the message names the error, never a path.</exception>
    public static bool TryPublish(string temporary, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            return MoveUnlessExists(temporary, target);
        }

        if (Link(temporary, target) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == EEXIST ? false : throw Failure(errno, OperatingSystem.IsMacOS());
    }

    /// <summary>
    /// <see cref="File.Move(string, string, bool)"/> without overwrite: one step on Windows (<c>MoveFileEx</c>), a check
    /// and then a rename on Unix, where two callers at the same moment could both succeed (the CLI's fallback on a file
    /// system without hard links).
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="target"/> exists (it is left as it is).</returns>
    /// <exception cref="IOException">The file could not be moved; the message names the error code, never a path.</exception>
    public static bool MoveUnlessExists(string temporary, string target)
    {
        try
        {
            File.Move(temporary, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
        catch (IOException ex)
        {
            // Note: .NET's message quotes the paths; only the error code is kept.
            throw new IOException($"Moving the file to its name failed (0x{ex.HResult:X8}).");
        }
    }

    /// <summary>The exception for a <c>link(2)</c> that failed with <paramref name="errno"/> (not <c>EEXIST</c>).</summary>
    internal static IOException Failure(int errno, bool macOS)
    {
        var noHardLinks = errno is EPERM or EXDEV || (macOS
            ? errno is MacENOTSUP or MacENOSYS or MacEOPNOTSUPP
            : errno is LinuxENOSYS or LinuxEOPNOTSUPP);
        if (noHardLinks)
        {
            return new HardLinksUnsupportedException($"link(2) failed (error {errno}): the file system may not support hard links (FAT, exFAT, some network and FUSE file systems), which creating a file without ever replacing one needs.");
        }

        return errno == ENOENT
            ? new IOException("link(2) failed: the directory or the temporary file is gone (ENOENT).")
            : new IOException($"link(2) failed (error {errno}).");
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);
}

/// <summary>A <c>link(2)</c> the file system refused as such (no hard links there, or not allowed).</summary>
internal sealed class HardLinksUnsupportedException(string message) : IOException(message);
