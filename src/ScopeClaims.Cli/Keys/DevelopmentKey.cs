using System;
using System.IO;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Cli.Internal;

/// <summary>
/// The key used when no <c>--key</c> is given: an ES256 key made on first use in the user's profile
/// (<c>$SCOPECLAIMS_HOME</c>, else <c>$XDG_CONFIG_HOME/scopeclaims</c> or <c>~/.config/scopeclaims</c> on Unix,
/// <c>%APPDATA%\scopeclaims</c> on Windows), readable by its owner only, and reused.
/// </summary>
internal static class DevelopmentKey
{
    public const string FileName = "dev-key.jwk";

    public static string PathOf(CliContext context)
    {
        var directory = context.Home;
        if (string.IsNullOrEmpty(directory))
        {
            var profile = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(profile))
            {
                throw CliException.Usage($"No profile directory was found for the development key; set {CliContext.HomeVariable} or pass --key FILE.");
            }

            directory = Path.Combine(profile, "scopeclaims");
        }

        return Path.Combine(Path.GetFullPath(directory), FileName);
    }

    /// <summary>Loads the development key, making it first if it does not exist yet.</summary>
    public static TokenSigningKey LoadOrCreate(CliContext context, out string path)
    {
        path = PathOf(context);
        if (!File.Exists(path))
        {
            try
            {
                SecureFile.CreatePrivateDirectory(Path.GetDirectoryName(path)!);

                // Note: a concurrent run may make the key first; then its key is used, so both runs agree.
                SecureFile.TryWrite(path, TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256).ExportPrivateJwk(), overwrite: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw CliException.Usage($"The development key could not be created at '{path}' ({ex.GetType().Name}); set {CliContext.HomeVariable} to a writable directory or pass --key FILE.", ex);
            }
        }

        try
        {
            return TokenSigningKey.FromJwkFile(path);
        }
        catch (SigningKeyException ex)
        {
            throw CliException.Usage($"The development key at '{path}' could not be loaded: {ex.Message} Delete the file to make a new one.", ex);
        }
    }
}
