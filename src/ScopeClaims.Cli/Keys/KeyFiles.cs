namespace ScopeClaims.Cli.Internal;

/// <summary>Loads the signing key of <c>--key FILE</c>, or the development key with a warning.</summary>
internal static class KeyFiles
{
    public static TokenSigningKey Load(string path)
    {
        try
        {
            return TokenSigningKey.FromFile(path);
        }
        catch (SigningKeyException ex)
        {
            throw CliException.Usage($"--key: {ex.Message}", ex);
        }
    }

    public static TokenSigningKey SigningKey(CliContext context, string? path)
    {
        if (path is not null)
        {
            return Load(path);
        }

        var key = DevelopmentKey.LoadOrCreate(context, out var devPath);
        context.Warn($"signing with the development key at {devPath}; use --key for real tokens");
        return key;
    }
}
