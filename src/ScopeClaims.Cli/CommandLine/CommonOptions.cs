using System;
using System.CommandLine;

namespace ScopeClaims.Cli.Internal;

/// <summary>Makes the options that several commands share, with the same names, defaults and checks everywhere.</summary>
internal static class CommonOptions
{
    public const string DefaultIssuer = "https://scopeclaims.local";
    public const string DefaultAudience = "https://partner.example";

    /// <summary>The <c>--format</c> and <c>--to</c> value of <see cref="ScopeFormat.Array"/>.</summary>
    public const string ArrayFormat = "array";

    /// <summary>The <c>--format</c> and <c>--to</c> value of <see cref="ScopeFormat.SpaceDelimited"/>.</summary>
    public const string SpaceDelimitedFormat = "space-delimited";

    /// <summary>The <c>--format</c> and <c>--to</c> value of <see cref="ScopeFormat.Both"/>.</summary>
    public const string BothFormat = "both";

    /// <summary>The longest lifetime the tool issues; the library's own default cap is 1 hour.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    public static Option<string> Issuer(string description) => new("--issuer")
    {
        Description = description,
        HelpName = "iss",
        DefaultValueFactory = static _ => DefaultIssuer,
    };

    public static Option<string> Audience(string description) => new("--audience")
    {
        Description = description,
        HelpName = "aud",
        DefaultValueFactory = static _ => DefaultAudience,
    };

    public static Option<string?> Key() => new("--key")
    {
        Description = "The private signing key: a JWK (from 'keys new') or PEM file (RSA or EC). Without it, the development key in your profile is used.",
        HelpName = "file",
    };

    public static Option<TimeSpan> Lifetime(string description)
    {
        var option = new Option<TimeSpan>("--lifetime")
        {
            Description = description + " " + Duration.Forms + "; at most 24h.",
            HelpName = "duration",
            DefaultValueFactory = static _ => TimeSpan.FromMinutes(5),
        };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            var outcome = Duration.Parse(text, out var value);
            if (outcome == Duration.Outcome.OutOfRange)
            {
                result.AddError($"--lifetime '{text}' is out of range; it must be positive and at most 24h.");
            }
            else if (outcome == Duration.Outcome.Malformed)
            {
                result.AddError($"--lifetime '{text}' is not {Duration.Forms}.");
            }
            else if (value <= TimeSpan.Zero || value > MaxLifetime)
            {
                result.AddError($"--lifetime must be positive and at most 24h; '{text}' is {Duration.Format(value)}.");
            }

            return value;
        };
        return option;
    }

    public static Option<string> Format(string name, string description)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            DefaultValueFactory = static _ => ArrayFormat,
        };
        option.AcceptOnlyFromAmong(ArrayFormat, SpaceDelimitedFormat, BothFormat);
        return option;
    }

    /// <summary>The token profile the options describe; the key is set by the caller once the command line is checked.</summary>
    public static ScopeTokenOptions Profile(ParseResult parseResult, Option<string> issuer, Option<string> audience, Option<string> format, Option<TimeSpan> lifetime)
    {
        var options = new ScopeTokenOptions
        {
            Issuer = parseResult.GetValue(issuer),
            Format = ToScopeFormat(parseResult.GetValue(format)),
            Lifetime = parseResult.GetValue(lifetime),
            MaxLifetime = MaxLifetime,
        };
        options.Audiences.Add(parseResult.GetValue(audience)!);
        return options;
    }

    private static ScopeFormat ToScopeFormat(string? value) => value switch
    {
        SpaceDelimitedFormat => ScopeFormat.SpaceDelimited,
        BothFormat => ScopeFormat.Both,
        _ => ScopeFormat.Array,
    };

    public static Argument<string?> Token() => new("TOKEN")
    {
        Description = "The compact token; '-' or nothing reads it from standard input.",
        Arity = ArgumentArity.ZeroOrOne,
    };
}
