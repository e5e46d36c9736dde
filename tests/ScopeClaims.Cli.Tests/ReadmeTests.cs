using System.Text;
using System.Text.RegularExpressions;
using ScopeClaims.Cli.Internal;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Cli.Tests;

/// <summary>Every command line the README and the help examples show parses, so users can copy them.</summary>
public partial class ReadmeTests
{
    private const string Readme = "src/ScopeClaims.Cli/README.md";

    // Each case is named by where it is shown (README and line, or help example list and index), so two identical
    // command lines are still two cases with stable IDs.
    public static TheoryData<string, string> ReadmeCommands()
    {
        var block = Assert.Single(ReadmeChecker.ShellBlocks(Readme));
        var data = new TheoryData<string, string>();
        var lines = block.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length > 0 && !lines[i].StartsWith('#'))
            {
                data.Add($"{Readme}:{block.Line + 1 + i}", lines[i]);
            }
        }

        return data;
    }

    public static TheoryData<string, string> HelpExamples()
    {
        var data = new TheoryData<string, string>();
        var lists = new (string Name, IEnumerable<string> Examples)[]
        {
            (nameof(CommandFactory) + "." + nameof(CommandFactory.RootExamples), CommandFactory.RootExamples),
            (nameof(IssueCommand) + "." + nameof(IssueCommand.Examples), IssueCommand.Examples),
            (nameof(InspectCommand) + "." + nameof(InspectCommand.Examples), InspectCommand.Examples),
            (nameof(ConvertCommand) + "." + nameof(ConvertCommand.Examples), ConvertCommand.Examples),
            (nameof(ExchangeCommand) + "." + nameof(ExchangeCommand.Examples), ExchangeCommand.Examples),
            (nameof(KeysCommand) + "." + nameof(KeysCommand.Examples), KeysCommand.Examples),
            (nameof(KeysCommand) + "." + nameof(KeysCommand.NewExamples), KeysCommand.NewExamples),
            (nameof(KeysCommand) + "." + nameof(KeysCommand.JwksExamples), KeysCommand.JwksExamples),
            (nameof(ManagedKeysCommand) + "." + nameof(ManagedKeysCommand.ListExamples), ManagedKeysCommand.ListExamples),
            (nameof(ManagedKeysCommand) + "." + nameof(ManagedKeysCommand.RotateExamples), ManagedKeysCommand.RotateExamples),
        };
        foreach (var (name, examples) in lists)
        {
            foreach (var (example, index) in examples.Select((e, i) => (e, i)))
            {
                data.Add($"{name}[{index}]", example);
            }
        }

        return data;
    }

    [Fact]
    public void Readme_ShowsTheMainJobAndTheInstallCommand()
    {
        var readme = RepositoryFiles.ReadAllText(Readme);

        Assert.Contains("dotnet run --project src/ScopeClaims.Cli -- issue --scope \"read:a write:b\"\n", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install -g ScopeClaims.Cli\n", readme, StringComparison.Ordinal);
        Assert.Contains("## Cold start", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReadmeCommands))]
    [MemberData(nameof(HelpExamples))]
    public void CommandLine_ShownToUsers_Parses(string shownIn, string line)
    {
        var invocations = Invocations(line).ToList();

        Assert.True(invocations.Count > 0 || line.StartsWith("dotnet tool install ", StringComparison.Ordinal), $"{shownIn}: no scopeclaims command in: {line}");
        using var writer = new StringWriter();
        foreach (var args in invocations)
        {
            var root = CommandFactory.Create(new CliContext(new StringReader(string.Empty), writer, writer, null), out _);
            var result = root.Parse(args);
            Assert.True(result.Errors.Count == 0, $"{shownIn}: {string.Join(' ', args)}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
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

    [GeneratedRegex(@"\s(?:\||&&)\s")]
    private static partial Regex Segment();
}
