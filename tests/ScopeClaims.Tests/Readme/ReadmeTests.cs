using System.Text.RegularExpressions;

namespace ScopeClaims.Tests.Readme;

public partial class ReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInTheReadme_IsCompiledInThisProject()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var compiled = Directory.GetFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}Readme{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            Assert.True(compiled.Any(source => Contains(source, block)), $"This README sample is not compiled by any tests/**/Readme/*.cs file:\n{block}");
        }
    }

    internal static bool Contains(string source, string block)
    {
        var lines = block.Split('\n').Select(l => l.TrimEnd()).ToList();
        var usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal) && l.EndsWith(';') && !l.Contains('=', StringComparison.Ordinal)).ToList();
        var body = string.Join('\n', lines.Where(l => l.Length > 0 && !usings.Contains(l)));
        var sourceLines = source.Split('\n').Select(l => l.TrimEnd()).ToList();
        var flattened = string.Join('\n', sourceLines.Where(l => l.Length > 0));
        return usings.All(u => sourceLines.Contains(u)) && flattened.Contains(body, StringComparison.Ordinal);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ScopeClaims.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ScopeClaims.sln not found above the test directory.");
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
