using System.Text;
using System.Text.RegularExpressions;
using ScopeClaims.Cli.Internal;

namespace ScopeClaims.Cli.Tests;

/// <summary>Every command line the README and the help examples show parses, so users can copy them.</summary>
public partial class ReadmeTests
{
    public static TheoryData<string> ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "ScopeClaims.Cli", "README.md"));
        var block = Assert.Single(ShBlock().Matches(readme)).Groups[1].Value;
        var data = new TheoryData<string>();
        foreach (var line in block.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            data.Add(line);
        }

        return data;
    }

    public static TheoryData<string> HelpExamples()
    {
        var data = new TheoryData<string>();
        foreach (var example in CommandFactory.RootExamples.Concat(IssueCommand.Examples).Concat(InspectCommand.Examples)
            .Concat(ConvertCommand.Examples).Concat(KeysCommand.Examples).Concat(KeysCommand.NewExamples).Concat(KeysCommand.JwksExamples))
        {
            data.Add(example);
        }

        return data;
    }

    [Fact]
    public void Readme_ShowsTheMainJobAndTheInstallCommand()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "ScopeClaims.Cli", "README.md"));

        Assert.Contains("dotnet run --project src/ScopeClaims.Cli -- issue --scope \"read:a write:b\"\n", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install -g ScopeClaims.Cli\n", readme, StringComparison.Ordinal);
        Assert.Contains("## Cold start", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReadmeCommands))]
    [MemberData(nameof(HelpExamples))]
    public void CommandLine_ShownToUsers_Parses(string line)
    {
        var invocations = Invocations(line).ToList();

        Assert.True(invocations.Count > 0 || line.StartsWith("dotnet tool install ", StringComparison.Ordinal), $"no scopeclaims command in: {line}");
        using var writer = new StringWriter();
        foreach (var args in invocations)
        {
            var root = CommandFactory.Create(new CliContext(new StringReader(string.Empty), writer, writer, null), out _);
            var result = root.Parse(args);
            Assert.True(result.Errors.Count == 0, $"{string.Join(' ', args)}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        }
    }

    /// <summary>The argument lists of the scopeclaims commands in a shell line: pipelines, $(...), redirections and quotes handled.</summary>
    private static IEnumerable<string[]> Invocations(string line)
    {
        foreach (var segment in Segment().Split(line.Replace("$(", "| ", StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal)))
        {
            var words = Words(segment.Trim()).ToList();
            var redirect = words.FindIndex(w => w is ">" or "2>");
            if (redirect >= 0)
            {
                words = words.Take(redirect).ToList();
            }

            if (words.FirstOrDefault() is { } first && first.Contains('=', StringComparison.Ordinal) && !first.StartsWith('-'))
            {
                words.RemoveAt(0);
            }

            if (words.Count > 0 && words[0] == "scopeclaims")
            {
                yield return words.Skip(1).ToArray();
            }
            else if (words.Count > 4 && words[0] == "dotnet" && words[1] == "run")
            {
                yield return words.SkipWhile(w => w != "--").Skip(1).ToArray();
            }
        }
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    yield return word.ToString();
                }

                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            yield return word.ToString();
        }
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

    [GeneratedRegex("```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();

    [GeneratedRegex(@"\s(?:\||&&)\s")]
    private static partial Regex Segment();
}
