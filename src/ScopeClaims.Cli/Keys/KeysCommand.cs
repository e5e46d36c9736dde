using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using ScopeClaims.Internal;

namespace ScopeClaims.Cli.Internal;

/// <summary><c>scopeclaims keys new</c> and <c>scopeclaims keys jwks</c>: make a private signing key, print public keys as a JWKS.</summary>
internal static class KeysCommand
{
    public static readonly string[] Examples =
    {
        "scopeclaims keys new --alg ES256 --out signing.jwk",
        "scopeclaims keys jwks --key signing.jwk > jwks.json",
        "scopeclaims keys list --store /var/lib/myapp/keys --data-protection-keys /var/lib/myapp/dataprotection --application-name partner-tokens",
    };

    public static readonly string[] NewExamples =
    {
        "scopeclaims keys new --alg ES256 --out signing.jwk",
        "scopeclaims keys new --alg RS256 --kid 2026-01 --out keys/rs256.jwk --force",
    };

    public static readonly string[] JwksExamples =
    {
        "scopeclaims keys jwks > dev-jwks.json",
        "scopeclaims keys jwks --key current.jwk --key previous.pem > jwks.json",
    };

    public static Command Create(CliContext context, out Command newCommand, out Command jwksCommand, out Command listCommand, out Command rotateCommand)
    {
        newCommand = CreateNew(context);
        jwksCommand = CreateJwks(context);
        listCommand = ManagedKeysCommand.CreateList(context);
        rotateCommand = ManagedKeysCommand.CreateRotate(context);
        return new Command("keys", "Make signing keys, print public JWKS, and list or rotate managed keys.")
        {
            newCommand, jwksCommand, listCommand, rotateCommand,
        };
    }

    private static Command CreateNew(CliContext context)
    {
        var alg = new Option<string>("--alg") { Description = "The algorithm: RS256, PS256 (RSA 2048), ES256 (P-256) or HS256 (256-bit secret).", Required = true };
        alg.AcceptOnlyFromAmong("RS256", "PS256", "ES256", "HS256");
        var kid = new Option<string?>("--kid") { Description = "The key id; the RFC 7638 JWK thumbprint when omitted.", HelpName = "id" };
        var output = new Option<string>("--out") { Description = "The file to write the private JWK to (mode 600 on Unix).", HelpName = "file", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists." };

        var command = new Command("new", "Write a new private signing key as a JWK file, readable by its owner only. Keep it secret; publish its public half with 'keys jwks'.")
        {
            alg, kid, output, force,
        };
        command.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(output)!;
            var id = parseResult.GetValue(kid);
            if (id is { Length: 0 })
            {
                throw CliException.Usage("--kid cannot be empty; omit it to use the key's thumbprint.");
            }

            // Note: --force replaces a file through a rename, which would replace a device or a FIFO just as well
            // (/dev/null, run as root); only a regular file is ever replaced.
            if (File.Exists(path) && BoundedFile.Check(path) is { } notRegular)
            {
                throw CliException.Usage($"--out: {BoundedFile.Describe(path)} {notRegular}; only a regular file is ever replaced.");
            }

            var key = TokenSigningKey.Generate(parseResult.GetValue(alg)!, id);
            bool written;
            try
            {
                written = SecureFile.TryWrite(path, key.ExportPrivateJwk(), parseResult.GetValue(force));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw CliException.Usage($"--out: '{path}' could not be written ({ex.GetType().Name}); check that its directory exists and is writable.", ex);
            }

            if (!written)
            {
                throw CliException.Usage($"--out: '{path}' already exists; pass --force to overwrite it.");
            }

            context.Error.WriteLine($"wrote a private {key.Algorithm} key (kid {key.KeyId}) to {path}; keep it secret");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateJwks(CliContext context)
    {
        var keys = new Option<string[]>("--key")
        {
            Description = "A private key file (JWK or PEM); repeat for several keys, the first being the active one. Without it, the development key. HMAC keys are secret and left out.",
            HelpName = "file",
        };

        var command = new Command("jwks", "Print the public JWK set (RFC 7517 §5) of private keys, for verifiers: public parameters only, never an HMAC key.")
        {
            keys,
        };
        command.SetAction(parseResult =>
        {
            var paths = parseResult.GetValue(keys) ?? Array.Empty<string>();
            TokenSigningKey[] loaded;
            if (paths.Length == 0)
            {
                loaded = new[] { DevelopmentKey.LoadOrCreate(context, out var devPath) };
                context.Warn($"the public key of the development key at {devPath}; use --key for real keys");
            }
            else
            {
                loaded = paths.Select(KeyFiles.Load).ToArray();
            }

            for (var i = 0; i < loaded.Length; i++)
            {
                if (loaded[i].IsSymmetric)
                {
                    context.Warn($"{paths[i]} is an HMAC key; it is secret and left out of the JWKS");
                }
            }

            var published = loaded.Where(static k => !k.IsSymmetric).ToArray();
            if (published.Length == 0)
            {
                throw CliException.Usage("--key: no RSA or EC key given; HMAC keys are secret and never published.");
            }

            SigningKeySet set;
            try
            {
                set = new SigningKeySet(published[0], published.Skip(1));
            }
            catch (ArgumentException ex)
            {
                throw CliException.Usage("--key: " + Cli.MessageOf(ex), ex);
            }

            context.Out.Write(set.ExportPublicJwks() + "\n");
            return ExitCodes.Success;
        });
        return command;
    }
}
