namespace ScopeClaims.Tests.Shared;

/// <summary>Files of this repository (READMEs, sources, snapshots), found from the test's output folder.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    /// <summary>The folder holding ScopeClaims.sln.</summary>
    public static string Root => RootDirectory.Value;

    /// <summary>The full path of <paramref name="relativePath"/>, written with forward slashes from the repository root.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The text of the file at <paramref name="relativePath"/> (forward slashes, from the repository root).</summary>
    public static string ReadAllText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ScopeClaims.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ScopeClaims.sln not found above the test directory.");
    }
}
