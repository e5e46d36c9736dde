using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using ScopeClaims.Internal;

namespace ScopeClaims.KeyManagement.Internal;

/// <summary>
/// Keys in one directory, one file per generation (<c>key-000000000001.json</c>). A new entry is written to a temporary
/// file of its own (<see cref="FileMode.CreateNew"/>, mode 600), flushed to disk, then given its name without replacing
/// anything (<see cref="ExclusiveFile"/>: a hard link on Unix, which fails if the name exists), so of several processes
/// creating one generation exactly one succeeds and no reader ever sees a half-written entry.
/// </summary>
internal sealed class FileSystemSigningKeyStore : ISigningKeyStore
{
    private const string Prefix = "key-";
    private const string Suffix = ".json";
    private const int Digits = 12;

    /// <summary>The age at which a temporary file is taken to be a stopped host's leftover.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    private readonly string _directory;

    public FileSystemSigningKeyStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        Name = $"file system key store '{_directory}'";
    }

    public string Name { get; }

    public string Directory => _directory;

    public IReadOnlyList<StoredSigningKey> Load()
    {
        EnsureDirectory();
        var entries = new List<StoredSigningKey>();
        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(_directory, Prefix + "*" + Suffix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable("could not be listed", ex);
        }

        foreach (var file in files)
        {
            if (GenerationOf(Path.GetFileName(file)) is not { } generation)
            {
                continue;
            }

            if (!BoundedFile.TryRead(file, out var content, out var failure))
            {
                if (File.Exists(file) && new FileInfo(file).Length == 0)
                {
                    // Note: an empty entry is a damaged one, refused as such by the key manager rather than as an unreadable store.
                    entries.Add(new StoredSigningKey(generation, []));
                    continue;
                }

                if (!File.Exists(file))
                {
                    // Note: removed by another host between the listing and the read (an expired key).
                    continue;
                }

                throw new SigningKeyStoreUnavailableException($"The entry of generation {generation} in the {Name} could not be read: {failure}");
            }

            entries.Add(new StoredSigningKey(generation, content));
        }

        return entries;
    }

    public bool TryCreate(StoredSigningKey entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        EnsureDirectory();
        RemoveStaleTemporaryFiles();
        var target = PathOf(entry.Generation);
        var temporary = Path.Combine(_directory, $".{Prefix}{entry.Generation.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(entry.Data);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                return ExclusiveFile.TryPublish(temporary, target);
            }
            catch (IOException ex)
            {
                throw WriteFailure(Name, entry.Generation, ex);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"could not be written (generation {entry.Generation})", ex);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    public void Delete(long generation)
    {
        try
        {
            File.Delete(PathOf(generation));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"could not remove the entry of generation {generation}", ex);
        }
    }

    /// <summary>The refusal for an entry <see cref="ExclusiveFile"/> could not publish (its messages name the error, never a path).</summary>
    /// <remarks>Without hard links there is no exclusive create, so the store creates no key rather than risk two hosts creating one.</remarks>
    internal static SigningKeyStoreUnavailableException WriteFailure(string name, long generation, IOException ex)
    {
        var advice = ex is HardLinksUnsupportedException ? " Use a local file system that supports hard links, or a shared store such as ScopeClaims.KeyManagement.Redis." : string.Empty;
        return new($"The {name} could not be written (generation {generation}): {ex.Message}{advice}");
    }

    internal string PathOf(long generation) =>
        Path.Combine(_directory, Prefix + generation.ToString("D" + Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + Suffix);

    private static long? GenerationOf(string name)
    {
        if (name.Length != Prefix.Length + Digits + Suffix.Length || !name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = name.AsSpan(Prefix.Length, Digits);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }

        var generation = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return generation > 0 ? generation : null;
    }

    /// <summary>
    /// Removes temporary files older than <see cref="StaleAfter"/>: a host that stopped between writing one and deleting it
    /// left it behind (mode 600, an encrypted entry, never read since its name is no entry's). A writer's own temporary
    /// file lives for the few milliseconds of one write.
    /// </summary>
    private void RemoveStaleTemporaryFiles()
    {
        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(_directory, "." + Prefix + "*.tmp");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        var cutoff = DateTime.UtcNow - StaleAfter;
        foreach (var file in files)
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                TryDelete(file);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Note: a leftover temporary file is never read (its name does not match an entry's).
        }
    }

    private void EnsureDirectory()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(_directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Unavailable("is not a directory that can be created or used", ex);
        }
    }

    // Note: the platform exception is named, not kept: its message could quote paths of other files.
    private SigningKeyStoreUnavailableException Unavailable(string what, Exception ex) =>
        new($"The {Name} {what} ({ex.GetType().Name}).");
}
