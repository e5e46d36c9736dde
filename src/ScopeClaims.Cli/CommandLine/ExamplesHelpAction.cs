using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ScopeClaims.Cli.Internal;

/// <summary>Prints System.CommandLine's help, then the command's examples.</summary>
internal sealed class ExamplesHelpAction : SynchronousCommandLineAction
{
    private readonly HelpAction _help;
    private readonly IReadOnlyDictionary<Command, string[]> _examples;

    public ExamplesHelpAction(HelpAction help, IReadOnlyDictionary<Command, string[]> examples)
    {
        _help = help;
        _examples = examples;
    }

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var result = _help.Invoke(parseResult);
        if (_examples.TryGetValue(parseResult.CommandResult.Command, out var examples))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        return result;
    }
}
