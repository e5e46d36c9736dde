using System.Text;
using ScopeClaims.KeyManagement.Internal;

namespace ScopeClaims.KeyManagement.Tests.Storage;

/// <summary>
/// The file system store's exclusive creation: of writers racing for one generation exactly one is told it created it,
/// and the entry holds that writer's bytes (not the last writer's); a name that exists is never replaced.
/// </summary>
public sealed class FileSystemStoreTests : IDisposable
{
    private readonly TempDirectories _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Fact]
    public void TryCreate_EightWritersRaceForEachGeneration_ExactlyOneWinsAndTheEntryIsItsBytes()
    {
        // Note: File.Move without overwrite (check, then rename) lets two writers both "win" when their checks come
        // before either rename, the second replacing the first's entry; released together by a barrier, eight writers
        // meet in that window often enough that 200 generations show it (on that code three writers were told they
        // created one generation).
        const int Writers = 8;
        var store = new FileSystemSigningKeyStore(_dirs.Store);
        using var gate = new Barrier(Writers);
        var winners = new int[Writers];
        var results = new bool[Writers];

        for (var generation = 1L; generation <= 200; generation++)
        {
            var current = generation;
            Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
            {
                var entry = new StoredSigningKey(current, Encoding.UTF8.GetBytes($"entry {current} of writer {writer}"));
                gate.SignalAndWait();
                results[writer] = store.TryCreate(entry);
            });

            var winner = Assert.Single(Enumerable.Range(0, Writers), w => results[w]);
            winners[winner]++;
            var stored = Assert.Single(store.Load(), e => e.Generation == current);
            Assert.Equal($"entry {current} of writer {winner}", Encoding.UTF8.GetString(stored.Data));
        }

        Assert.Equal(200, store.Load().Count);
        Assert.All(_dirs.StoreFiles(), f => Assert.Matches("^key-[0-9]{12}\\.json$", f));   // no temporary file left
    }

    [Fact]
    public void TryCreate_GenerationExists_ReturnsFalseAndLeavesTheEntry()
    {
        var store = new FileSystemSigningKeyStore(_dirs.Store);
        Assert.True(store.TryCreate(new StoredSigningKey(1, "first"u8.ToArray())));

        Assert.False(store.TryCreate(new StoredSigningKey(1, "second"u8.ToArray())));

        Assert.Equal("first", Encoding.UTF8.GetString(Assert.Single(store.Load()).Data));
        Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());
    }

    [Fact]
    public void TryCreate_TemporaryFilesLeftByAStoppedHost_RemovesThoseOverAnHourOld()
    {
        var store = new FileSystemSigningKeyStore(_dirs.Store);
        Assert.Empty(store.Load());
        var stale = Path.Combine(_dirs.Store, ".key-1." + Guid.NewGuid().ToString("N") + ".tmp");
        var recent = Path.Combine(_dirs.Store, ".key-1." + Guid.NewGuid().ToString("N") + ".tmp");
        var other = Path.Combine(_dirs.Store, ".other.tmp");
        foreach (var file in new[] { stale, recent, other })
        {
            File.WriteAllText(file, "left");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - FileSystemSigningKeyStore.StaleAfter - TimeSpan.FromMinutes(1));
        }

        File.SetLastWriteTimeUtc(recent, DateTime.UtcNow - FileSystemSigningKeyStore.StaleAfter + TimeSpan.FromMinutes(5));

        Assert.True(store.TryCreate(new StoredSigningKey(1, "entry"u8.ToArray())));

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(other));   // not a name the store makes
        Assert.Equal("entry", Encoding.UTF8.GetString(Assert.Single(store.Load()).Data));
    }

    [Fact]
    public void TryPublish_TargetExists_ReturnsFalseAndKeepsBothFiles()
    {
        Directory.CreateDirectory(_dirs.Root + "/x");
        var temporary = Path.Combine(_dirs.Root, "x", ".new.tmp");
        var target = Path.Combine(_dirs.Root, "x", "name");
        File.WriteAllText(temporary, "new");
        File.WriteAllText(target, "old");

        Assert.False(ExclusiveFile.TryPublish(temporary, target));

        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal("new", File.ReadAllText(temporary));
    }

    [Fact]
    public void TryPublish_NewName_GivesTheFileThatName()
    {
        var temporary = Path.Combine(_dirs.Root, ".new.tmp");
        var target = Path.Combine(_dirs.Root, "name");
        File.WriteAllText(temporary, "new");

        Assert.True(ExclusiveFile.TryPublish(temporary, target));

        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public void MoveUnlessExists_NewName_MovesTheFileThere()
    {
        // The CLI's fallback on a file system without hard links (FAT), and the Windows path: still never replaces a file.
        var temporary = Path.Combine(_dirs.Root, ".key.json.tmp");
        File.WriteAllText(temporary, "new");

        Assert.True(ExclusiveFile.MoveUnlessExists(temporary, Path.Combine(_dirs.Root, "key.json")));

        Assert.Equal("new", File.ReadAllText(Path.Combine(_dirs.Root, "key.json")));
        Assert.False(File.Exists(temporary));
    }

    [Fact]
    public void MoveUnlessExists_NameExists_ReturnsFalseAndLeavesIt()
    {
        var temporary = Path.Combine(_dirs.Root, ".key.json.tmp");
        File.WriteAllText(temporary, "new");
        File.WriteAllText(Path.Combine(_dirs.Root, "key.json"), "old");

        Assert.False(ExclusiveFile.MoveUnlessExists(temporary, Path.Combine(_dirs.Root, "key.json")));

        Assert.Equal("old", File.ReadAllText(Path.Combine(_dirs.Root, "key.json")));
    }

    [Fact]
    public void MoveUnlessExists_TemporaryFileGone_ThrowsNamingTheErrorButNoPath()
    {
        var temporary = Path.Combine(_dirs.Root, ".gone-" + Guid.NewGuid().ToString("N") + ".tmp");

        var ex = Assert.Throws<IOException>(() => ExclusiveFile.MoveUnlessExists(temporary, Path.Combine(_dirs.Root, "key.json")));

        Assert.StartsWith("Moving the file to its name failed (0x", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_dirs.Root, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryPublish_TemporaryFileGone_ThrowsNamingTheErrorButNoPath()
    {
        var temporary = Path.Combine(_dirs.Root, ".gone-" + Guid.NewGuid().ToString("N") + ".tmp");
        var target = Path.Combine(_dirs.Root, "name-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.Throws<IOException>(() => ExclusiveFile.TryPublish(temporary, target));

        Assert.Equal("link(2) failed: the directory or the temporary file is gone (ENOENT).", ex.Message);
        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData(1, false)]     // EPERM: Linux's answer on FAT (vfat) and on a file it does not allow linking
    [InlineData(18, false)]    // EXDEV
    [InlineData(38, false)]    // Linux ENOSYS
    [InlineData(95, false)]    // Linux EOPNOTSUPP
    [InlineData(1, true)]
    [InlineData(45, true)]     // macOS ENOTSUP
    [InlineData(78, true)]     // macOS ENOSYS
    [InlineData(102, true)]    // macOS EOPNOTSUPP
    public void Failure_NoHardLinksOnTheFileSystem_SaysSo(int errno, bool macOS)
    {
        var ex = Assert.IsType<HardLinksUnsupportedException>(ExclusiveFile.Failure(errno, macOS));

        Assert.Equal($"link(2) failed (error {errno}): the file system may not support hard links (FAT, exFAT, some network and FUSE file systems), which creating a file without ever replacing one needs.", ex.Message);
    }

    [Theory]
    [InlineData(13, false)]    // EACCES
    [InlineData(28, false)]    // ENOSPC
    [InlineData(95, true)]     // not EOPNOTSUPP on macOS
    [InlineData(45, false)]    // not ENOTSUP on Linux
    public void Failure_OtherErrors_NameTheNumberOnly(int errno, bool macOS)
    {
        var ex = ExclusiveFile.Failure(errno, macOS);

        Assert.IsNotType<HardLinksUnsupportedException>(ex);
        Assert.Equal($"link(2) failed (error {errno}).", ex.Message);
    }

    [Fact]
    public void TryCreate_FileSystemWithoutHardLinks_IsUnavailableSayingWhatToUse()
    {
        // The store's message for the refusal ExclusiveFile reports, as the key manager logs and throws it.
        var store = new FileSystemSigningKeyStore(_dirs.Store);

        var ex = FileSystemSigningKeyStore.WriteFailure(store.Name, 3, ExclusiveFile.Failure(1, macOS: false));

        Assert.Equal($"The {store.Name} could not be written (generation 3): link(2) failed (error 1): the file system may not support hard links (FAT, exFAT, some network and FUSE file systems), which creating a file without ever replacing one needs. Use a local file system that supports hard links, or a shared store such as ScopeClaims.KeyManagement.Redis.", ex.Message);
    }
}
