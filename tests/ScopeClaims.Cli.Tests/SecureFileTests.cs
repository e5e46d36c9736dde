using ScopeClaims.Cli.Internal;

namespace ScopeClaims.Cli.Tests;

/// <summary>
/// The writer of key files: without overwrite, of several runs racing to make one file exactly one makes it and the file
/// holds that run's content; with overwrite, the file is replaced; either way only the owner can read it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecureFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryWrite_EightRunsRaceForOneFileWithoutOverwrite_ExactlyOneWritesIt()
    {
        // Note: released together by a barrier, as runs started at once by a script; a check-then-rename would let two
        // of them write, the second replacing the first's key after the first had loaded it.
        const int Writers = 8;
        using var gate = new Barrier(Writers);
        var results = new bool[Writers];
        for (var round = 0; round < 100; round++)
        {
            var path = _dir.File($"key-{round}.json");
            Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
            {
                gate.SignalAndWait();
                results[writer] = SecureFile.TryWrite(path, $"content of writer {writer}", overwrite: false);
            });

            var winner = Assert.Single(Enumerable.Range(0, Writers), w => results[w]);
            Assert.Equal($"content of writer {winner}", File.ReadAllText(path));
        }

        Assert.All(Directory.GetFiles(_dir.Path), f => Assert.DoesNotContain(".tmp", f, StringComparison.Ordinal));
    }

    [Fact]
    public void TryWrite_FileExistsWithoutOverwrite_ReturnsFalseAndLeavesIt()
    {
        var path = _dir.File("key.json");
        File.WriteAllText(path, "old");

        Assert.False(SecureFile.TryWrite(path, "new", overwrite: false));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void TryWrite_FileExistsWithOverwrite_ReplacesItOwnerOnly()
    {
        var path = _dir.File("key.json");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.True(SecureFile.TryWrite(path, "new", overwrite: true));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void TryWrite_NewFileWithoutOverwrite_IsOwnerOnly()
    {
        var path = _dir.File("key.json");

        Assert.True(SecureFile.TryWrite(path, "new", overwrite: false));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
