using System.Text.RegularExpressions;

namespace ScopeClaims.Tests.Shared;

/// <summary>
/// The README-sample check every test project shares: finds a README's fenced blocks, and decides whether a C# sample is
/// compiled by a source file (its <c>using</c> lines anywhere in the file, the rest as contiguous lines, blank lines and
/// trailing spaces ignored), so a README cannot drift from the API.
/// </summary>
internal static partial class ReadmeChecker
{
    /// <summary>Every <c>```csharp</c> block of <paramref name="readme"/> (a path from the repository root), in order.</summary>
    /// <param name="readme">The README, e.g. <c>src/ScopeClaims.Http/README.md</c>.</param>
    /// <param name="text">The README's text when the caller has already read (or normalized) it.</param>
    public static IReadOnlyList<ReadmeBlock> CSharpBlocks(string readme, string? text = null) =>
        Blocks(readme, text ?? RepositoryFiles.ReadAllText(readme), CSharpBlock());

    /// <summary>Every <c>```sh</c> block of <paramref name="readme"/> (a path from the repository root), in order.</summary>
    public static IReadOnlyList<ReadmeBlock> ShellBlocks(string readme, string? text = null) =>
        Blocks(readme, text ?? RepositoryFiles.ReadAllText(readme), ShellBlock());

    /// <summary>Every C# file under a <c>Readme</c> folder of <paramref name="directory"/> (a path from the repository root), bin and obj left out.</summary>
    public static IReadOnlyList<string> SampleSources(string directory)
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.GetFiles(RepositoryFiles.PathOf(directory), "*.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{separator}Readme{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
    }

    /// <summary>
    /// Whether <paramref name="source"/> compiles <paramref name="block"/>: each of the block's plain <c>using</c> lines is
    /// a line of the source, and the rest of the block, without blank lines, is a run of the source's non-blank lines.
    /// </summary>
    public static bool IsCompiledIn(string source, string block)
    {
        var lines = block.Split('\n').Select(l => l.TrimEnd()).ToList();
        var usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal) && l.EndsWith(';') && !l.Contains('=', StringComparison.Ordinal)).ToList();
        var body = string.Join('\n', lines.Where(l => l.Length > 0 && !usings.Contains(l)));
        var sourceLines = source.Split('\n').Select(l => l.TrimEnd()).ToList();
        var flattened = string.Join('\n', sourceLines.Where(l => l.Length > 0));
        return usings.All(u => sourceLines.Contains(u)) && flattened.Contains(body, StringComparison.Ordinal);
    }

    /// <summary>Asserts that one of <paramref name="sources"/> compiles <paramref name="block"/>, naming the block's README and line if not.</summary>
    /// <param name="compiledBy">What should compile it, for the failure message.</param>
    public static void AssertCompiled(ReadmeBlock block, IEnumerable<string> sources, string compiledBy) =>
        Assert.True(sources.Any(source => IsCompiledIn(source, block.Text)), $"This README sample ({block.Location}) is not compiled by {compiledBy}:\n{block.Text}");

    /// <summary>Text with LF line ends, no trailing spaces and one final newline, for a verbatim comparison.</summary>
    public static string Normalize(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim() + "\n";

    private static List<ReadmeBlock> Blocks(string readme, string text, Regex fence) =>
        fence.Matches(text).Select(m => new ReadmeBlock(readme, LineOf(text, m.Index), m.Groups[1].Value)).ToList();

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    // Note: an indented block inside a list item counts too.
    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex("```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
