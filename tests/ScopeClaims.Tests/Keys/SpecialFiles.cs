using System.Diagnostics;

namespace ScopeClaims.Tests.Keys;

/// <summary>
/// Files that are not regular files, made for real: a FIFO by mkfifo(1), symbolic links, a directory. Like the rest of the
/// suite (Redis from Debian's packages, statx), these tests need Linux: elsewhere they fail rather than skip, since
/// .ci/run refuses skipped tests.
/// </summary>
internal sealed class SpecialFiles : IDisposable
{
    public SpecialFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("scopeclaims-special-").FullName;
        Fifo = System.IO.Path.Combine(Directory, "key.fifo");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", new[] { Fifo }) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Regular = System.IO.Path.Combine(Directory, "regular.pem");
        LinkToFifo = Link("to-fifo.pem", Fifo);
        LinkToZero = Link("to-zero.pem", "/dev/zero");
        LinkToRegular = Link("to-regular.pem", Regular);
        DanglingLink = Link("dangling.pem", System.IO.Path.Combine(Directory, "missing"));
        SubDirectory = System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, "keys")).FullName;
    }

    public string Directory { get; }

    public string Fifo { get; }

    /// <summary>Gets a path for a regular file that the test writes.</summary>
    public string Regular { get; }

    public string LinkToFifo { get; }

    public string LinkToZero { get; }

    public string LinkToRegular { get; }

    public string DanglingLink { get; }

    public string SubDirectory { get; }

    public string File(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>
    /// Runs <paramref name="action"/> on another thread and fails the test if it has not returned within a minute: a
    /// read that blocks on the FIFO is then released by opening the FIFO for writing, so a regression fails the test
    /// rather than hanging the run.
    /// </summary>
    public T WithoutHanging<T>(Func<T> action)
    {
        var task = Task.Run(action);
        if (Task.WaitAny(new Task[] { task }, TimeSpan.FromMinutes(1)) < 0)
        {
            using (new FileStream(Fifo, FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail("The call blocked on the FIFO.");
        }

        return task.GetAwaiter().GetResult();
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private string Link(string name, string target)
    {
        var path = System.IO.Path.Combine(Directory, name);
        System.IO.File.CreateSymbolicLink(path, target);
        return path;
    }
}
