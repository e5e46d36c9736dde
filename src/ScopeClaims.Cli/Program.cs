using System;

namespace ScopeClaims.Cli;

/// <summary>The process entry point of the <c>scopeclaims</c> tool.</summary>
internal static class Program
{
    private static int Main(string[] args) => Cli.Run(args, Console.In, Console.Out, Console.Error);
}
