namespace ScopeClaims.Tests.Shared;

/// <summary>A fenced code block of a README: the README (a path from the repository root), the fence's line and the code.</summary>
internal sealed record ReadmeBlock(string Readme, int Line, string Text)
{
    /// <summary>Where the block is, as <c>README:line</c>: a stable name for a test case or a failure message.</summary>
    public string Location => $"{Readme}:{Line}";

    public override string ToString() => Location;
}
