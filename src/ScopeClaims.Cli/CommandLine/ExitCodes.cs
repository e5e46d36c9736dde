namespace ScopeClaims.Cli.Internal;

/// <summary>The tool's exit codes; scripts depend on them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>A token was refused, or its verification failed.</summary>
    public const int Refused = 1;

    /// <summary>The command line or an input file is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The token endpoint could not be reached, or did not answer as a token endpoint (<c>exchange</c>).</summary>
    public const int Unavailable = 3;
}
