using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;

namespace ScopeClaims.Cli.Internal;

/// <summary>Builds the command tree of one run, its actions writing to the run's streams.</summary>
internal static class CommandFactory
{
    public static readonly string[] RootExamples =
    {
        "dotnet run --project src/ScopeClaims.Cli -- issue --scope \"read:a write:b\"",
        "scopeclaims issue --scope \"read:a write:b\" | scopeclaims inspect",
        "scopeclaims keys new --alg ES256 --out signing.jwk && scopeclaims keys jwks --key signing.jwk > jwks.json",
    };

    public static Command Create(CliContext context, out Option<bool> verbose)
    {
        var issue = IssueCommand.Create(context);
        var inspect = InspectCommand.Create(context);
        var convert = ConvertCommand.Create(context);
        var exchange = ExchangeCommand.Create(context);
        var keys = KeysCommand.Create(context, out var keysNew, out var keysJwks, out var keysList, out var keysRotate);

        // Note: a plain Command, not RootCommand, so usage and help say "scopeclaims" also when run as "dotnet ScopeClaims.Cli.dll".
        var root = new Command("scopeclaims", "Issue, inspect, convert and exchange JWTs whose OAuth scopes are in the shape a peer needs: a JSON array, an RFC 8693 space-delimited string, or both. Exit codes: 0 success, 1 token refused or verification failed, 2 usage error, 3 token endpoint unavailable (exchange).")
        {
            issue, inspect, convert, exchange, keys,
        };
        var examples = new Dictionary<Command, string[]>
        {
            [root] = RootExamples,
            [issue] = IssueCommand.Examples,
            [inspect] = InspectCommand.Examples,
            [convert] = ConvertCommand.Examples,
            [exchange] = ExchangeCommand.Examples,
            [keys] = KeysCommand.Examples,
            [keysNew] = KeysCommand.NewExamples,
            [keysJwks] = KeysCommand.JwksExamples,
            [keysList] = ManagedKeysCommand.ListExamples,
            [keysRotate] = ManagedKeysCommand.RotateExamples,
        };
        var help = new HelpOption();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!, examples);
        verbose = new Option<bool>("--verbose") { Description = "Print the stack trace of an error.", Recursive = true };
        root.Add(help);
        root.Add(new VersionOption());
        root.Add(verbose);
        return root;
    }
}
