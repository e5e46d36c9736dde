using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ScopeClaims.Cli.Internal;

namespace ScopeClaims.Cli;

/// <summary>
/// The tool behind its process: parses the command line, runs the command, and turns every failure into one line on
/// stderr and an exit code (0 success, 1 token refused or verification failed, 2 usage error).
/// </summary>
internal static partial class Cli
{
    /// <summary>Runs the tool, as <c>Main</c> does, with the given streams.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stdin">Standard input, read when a command takes the token from it.</param>
    /// <param name="stdout">Standard output: tokens, reports and help.</param>
    /// <param name="stderr">Standard error: warnings and errors.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Run(args, new CliContext(stdin, stdout, stderr, Environment.GetEnvironmentVariable(CliContext.HomeVariable))
        {
            InputIsTerminal = ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected,
        });
    }

    internal static int Run(string[] args, CliContext context)
    {
        var root = CommandFactory.Create(context, out var verbose);
        ParseResult parseResult;
        try
        {
            parseResult = root.Parse(args);
            context.Verbose = parseResult.GetValue(verbose);
        }
        catch (Exception ex)
        {
            // Note: option parsers report bad values as parse errors; this is the net under them, so that no value
            // ever aborts the process with an unhandled exception and a stack trace.
            return Report(ex, context);
        }

        if (parseResult.Action is ParseErrorAction)
        {
            // Note: one line. A typo or a wrong value explains more than the "required" errors it often causes too.
            var error = parseResult.Errors.OrderBy(static e => Rank(e.Message)).First();
            context.Error.WriteLine($"error: {OneLine(error.Message)} See '{CommandPath(parseResult.CommandResult)} --help'.");
            return ExitCodes.Usage;
        }

        try
        {
            return parseResult.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            return Report(ex, context);
        }
    }

    /// <summary>Gets an exception's message without the " (Parameter 'x')" suffix that means nothing on a command line.</summary>
    internal static string MessageOf(ArgumentException exception)
    {
        var suffix = exception.ParamName is null ? null : $" (Parameter '{exception.ParamName}')";
        var message = exception.Message;
        return suffix is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }

    private static int Report(Exception exception, CliContext context)
    {
        var (code, message) = Describe(exception);
        context.Error.WriteLine(message);
        if (context.Verbose)
        {
            context.Error.Write(Trace(exception));
        }

        return code;
    }

    private static (int Code, string Message) Describe(Exception exception) => exception switch
    {
        CliException cli => (cli.ExitCode, "error: " + OneLine(cli.Message)),
        TokenConversionException refused => (ExitCodes.Refused, $"refused ({refused.Reason}): {OneLine(refused.Message)}"),
        SigningKeyException key => (ExitCodes.Usage, "error: " + OneLine(key.Message)),
        OptionsValidationException options => (ExitCodes.Usage, "error: " + OneLine(string.Join(" ", options.Failures))),
        OperationCanceledException => (ExitCodes.Refused, "error: cancelled."),

        // Note: the message of an exception ScopeClaims did not write may quote its input (a key file, a token).
        _ => (ExitCodes.Refused, $"error: unexpected {exception.GetType().Name} (run with --verbose for the stack trace)"),
    };

    /// <summary>
    /// The exception chain for <c>--verbose</c>: every exception, inner and aggregated ones included, with its type and
    /// stack trace, and its message only when ScopeClaims wrote it. A platform exception's message may quote the input it
    /// failed on (a key file, a token), so it is never printed.
    /// </summary>
    internal static string Trace(Exception exception)
    {
        var text = new StringBuilder();
        var pending = new Stack<(Exception Exception, int Depth)>();
        pending.Push((exception, 0));
        while (pending.Count > 0)
        {
            var (current, depth) = pending.Pop();
            text.Append(depth == 0 ? string.Empty : new string(' ', 2 * depth) + "---> ").Append(current.GetType().FullName);
            text.Append(IsOwn(current) ? ": " + OneLine(current.Message) : " (message not shown: it may quote the input)").Append('\n');
            if (current.StackTrace is { } stackTrace)
            {
                text.Append(stackTrace.ReplaceLineEndings("\n")).Append('\n');
            }

            if (current is AggregateException aggregate)
            {
                for (var i = aggregate.InnerExceptions.Count - 1; i >= 0; i--)
                {
                    pending.Push((aggregate.InnerExceptions[i], depth + 1));
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push((inner, depth + 1));
            }
        }

        return text.ToString();
    }

    private static bool IsOwn(Exception exception) =>
        exception.GetType().Assembly == typeof(TokenSigningKey).Assembly || exception.GetType().Assembly == typeof(Cli).Assembly || exception is OptionsValidationException;

    private static int Rank(string message) =>
        message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : message.Contains("required", StringComparison.OrdinalIgnoreCase) ? 2 : 1;

    private static string CommandPath(CommandResult? result)
    {
        var path = string.Empty;
        for (; result is not null; result = result.Parent as CommandResult)
        {
            path = path.Length == 0 ? result.Command.Name : result.Command.Name + " " + path;
        }

        return path;
    }

    private static string OneLine(string message) => Whitespace().Replace(message, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
