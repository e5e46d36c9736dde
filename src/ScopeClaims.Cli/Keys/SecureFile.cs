extern alias KeyManagement;

using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using KeyManagement::ScopeClaims.KeyManagement.Internal;

namespace ScopeClaims.Cli.Internal;

/// <summary>Writes secrets so that only the owner can read them (mode 600 on Unix) and a reader never sees half a file.</summary>
internal static class SecureFile
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through a private temporary file, then a rename (overwrite) or a hard link (no overwrite).</summary>
    /// <returns><see langword="false"/> when the file exists and <paramref name="overwrite"/> is off.</returns>
    public static bool TryWrite(string path, string content, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)) + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }

            if (!overwrite)
            {
                return Publish(temporary, full);
            }

            // Note: rename keeps the temporary file's mode 600, also when it replaces a file that had a laxer one.
            File.Move(temporary, full, overwrite: true);
            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Gives the written file its name unless the name exists.</summary>
    /// <remarks>
    /// File.Move without overwrite checks, then renames, so a file another run made in between would be replaced;
    /// ExclusiveFile gives the name in one step or reports it taken. A file system without hard links (a FAT USB drive)
    /// cannot do that, and there a key file is still written, with File.Move: two runs writing one new file at the same
    /// moment could then both succeed, the last one's file remaining.
    /// </remarks>
    private static bool Publish(string temporary, string path)
    {
        try
        {
            return ExclusiveFile.TryPublish(temporary, path);
        }
        catch (HardLinksUnsupportedException)
        {
            return ExclusiveFile.MoveUnlessExists(temporary, path);
        }
    }

    /// <summary>Creates a directory that only the owner can enter (mode 700 on Unix); an existing one is left as it is.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }
}
