extern alias KeyManagement;

using System;
using System.CommandLine;
using System.Linq;
using KeyManagement::ScopeClaims.KeyManagement;

namespace ScopeClaims.Cli.Internal;

/// <summary><c>scopeclaims keys list</c> and <c>scopeclaims keys rotate</c>: show and steer managed keys in a file-system store.</summary>
internal static class ManagedKeysCommand
{
    public static readonly string[] ListExamples =
    {
        "scopeclaims keys list --store /var/lib/myapp/keys --data-protection-keys /var/lib/myapp/dataprotection --application-name partner-tokens",
    };

    public static readonly string[] RotateExamples =
    {
        "scopeclaims keys rotate --store /var/lib/myapp/keys --data-protection-keys /var/lib/myapp/dataprotection --application-name partner-tokens --alg ES256 --propagation-time 14d",
    };

    public static Command CreateList(CliContext context)
    {
        var store = Store();
        var dataProtection = DataProtectionKeys();
        var application = ApplicationName();
        var retention = Span("--retention-time", "How long a key stays published after it stopped signing, as your hosts set it:", TimeSpan.FromDays(14));
        var command = new Command("list", "List the managed keys of a file-system store: generation, kid, algorithm, state (announced, active, retired, expired), created, activates, retires. No private parameter is printed.")
        {
            store, dataProtection, application, retention,
        };
        command.SetAction(parseResult =>
        {
            var options = new ScopeTokenKeyManagementOptions { RetentionTime = parseResult.GetValue(retention), RefreshInterval = TimeSpan.FromSeconds(1) };
            using var opened = Open(parseResult, store, dataProtection, application, options, createDataProtectionKeys: false);
            var now = DateTimeOffset.UtcNow;
            var schedule = Run(() => opened.Keys.ReadSchedule());
            var rows = schedule.Reverse().Select(e => new[]
            {
                e.Key.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
                e.Key.Key.KeyId,
                e.Key.Key.Algorithm,
                ManagedKeyStore.State(e.State(now)),
                ManagedKeyStore.Time(e.Key.Created),
                ManagedKeyStore.Time(e.Key.Activates),
                ManagedKeyStore.Time(e.End),
            }).ToArray();
            context.Out.Write(ManagedKeyStore.Table(["generation", "kid", "alg", "state", "created", "activates", "retires"], rows));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateRotate(CliContext context)
    {
        var store = Store();
        var dataProtection = DataProtectionKeys();
        var application = ApplicationName();
        var alg = new Option<string>("--alg") { Description = "The algorithm of the new key: RS256, PS256 or ES256, as your hosts set it.", DefaultValueFactory = static _ => "RS256" };
        alg.AcceptOnlyFromAmong("RS256", "PS256", "ES256");
        var propagation = Span("--propagation-time", "How long the new key is published before it signs, as your hosts set it:", TimeSpan.FromDays(14));
        var rotation = Span("--rotation-interval", "How long the new key signs, as your hosts set it:", TimeSpan.FromDays(90));
        var command = new Command("rotate", "Announce a new managed key now: published at once, signing after the propagation time, when the current key retires. Refused while another key is announced.")
        {
            store, dataProtection, application, alg, propagation, rotation,
        };
        command.SetAction(parseResult =>
        {
            var p = parseResult.GetValue(propagation);
            var options = new ScopeTokenKeyManagementOptions
            {
                Algorithm = parseResult.GetValue(alg)!,
                PropagationTime = p,
                RotationInterval = parseResult.GetValue(rotation),
                RefreshInterval = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, p.Ticks / 2)),
            };
            using var opened = Open(parseResult, store, dataProtection, application, options, createDataProtectionKeys: true);
            var key = Run(() =>
            {
                try
                {
                    return opened.Keys.Announce();
                }
                catch (InvalidOperationException ex)
                {
                    throw CliException.Refused(ex.Message, ex);
                }
            });
            context.Out.Write($"announced key {key.Key.KeyId} (generation {key.Generation}, {key.Key.Algorithm}): published now, signs from {ManagedKeyStore.Time(key.Activates)}\n");
            return ExitCodes.Success;
        });
        return command;
    }

    private static ManagedKeyStore Open(ParseResult parseResult, Option<string> store, Option<string> dataProtection, Option<string> application, ScopeTokenKeyManagementOptions options, bool createDataProtectionKeys) =>
        ManagedKeyStore.Open(parseResult.GetValue(store)!, parseResult.GetValue(dataProtection)!, parseResult.GetValue(application)!, options, createDataProtectionKeys);

    private static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is SigningKeyStoreUnavailableException or SigningKeyEntryException or ClockMovedBackwardsException)
        {
            // Note: these messages name the store and generation, never key material.
            throw CliException.Usage(ex.Message, ex);
        }
    }

    private static Option<string> Store() => new("--store")
    {
        Description = "The directory of the managed keys (PersistKeysToFileSystem).",
        HelpName = "dir",
        Required = true,
    };

    private static Option<string> DataProtectionKeys() => new("--data-protection-keys")
    {
        Description = "The directory of the Data Protection key ring your hosts use (AddDataProtection().PersistKeysToFileSystem); it must hold its keys.",
        HelpName = "dir",
        Required = true,
    };

    private static Option<string> ApplicationName() => new("--application-name")
    {
        Description = "The Data Protection application name your hosts set (SetApplicationName).",
        HelpName = "name",
        Required = true,
    };

    private static Option<TimeSpan> Span(string name, string description, TimeSpan defaultValue)
    {
        var option = new Option<TimeSpan>(name)
        {
            Description = $"{description} {Duration.Forms}; default {Duration.Format(defaultValue)}.",
            HelpName = "duration",
            DefaultValueFactory = _ => defaultValue,
        };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            if (Duration.Parse(text, out var value) != Duration.Outcome.Parsed || value <= TimeSpan.Zero)
            {
                result.AddError($"{name} '{text}' is not a positive duration: {Duration.Forms}.");
            }

            return value;
        };
        return option;
    }
}
