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
/// <c>MOVEFILE_REPLACE_EXISTING</c> already fails that way.
/// </remarks>
internal static partial class ExclusiveFile
{
    private const int EPERM = 1;
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int EXDEV = 18;
    private const int ENOSYS = 38;
    private const int EOPNOTSUPP = 95;

    /// <summary>Gives the complete file <paramref name="temporary"/> the name <paramref name="target"/> too, unless it exists.</summary>
    /// <returns><see langword="false"/> when <paramref name="target"/> exists (it is left as it is).</returns>
    /// <remarks>The caller deletes <paramref name="temporary"/> afterwards (on Unix it keeps its name as well).</remarks>
    /// <exception cref="IOException">The name could not be given; the message names the error, never a path.</exception>
    public static bool TryPublish(string temporary, string target)
    {
        if (OperatingSystem.IsWindows())
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
        }

        if (Link(temporary, target) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST)
        {
            return false;
        }

        // Note: errno values differ between Linux and macOS beyond the first few; the message names the number and,
        // for the Linux ones that mean "no hard links here", what to do.
        throw new IOException(errno switch
        {
            ENOENT => "link(2) failed: the directory or the temporary file is gone (ENOENT).",
            EPERM or EXDEV or ENOSYS or EOPNOTSUPP when OperatingSystem.IsLinux() => $"link(2) failed (error {errno}): the file system does not support hard links, which exclusive creation needs; use a local file system or a shared store such as Redis.",
            _ => $"link(2) failed (error {errno}).",
        });
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);
}
