using System;
using System.Collections.Generic;
using System.Globalization;

namespace ScopeClaims.Internal;

/// <summary>Checks shared by the options validators, so a lifetime, a depth or a set of limits means the same everywhere.</summary>
internal static class OptionRules
{
    /// <summary>The shortest token lifetime: <c>exp</c> has whole seconds, so a shorter one may already be expired when issued.</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromSeconds(1);

    /// <summary>The longest token lifetime: a generous year, far inside what <c>exp</c> and <see cref="DateTimeOffset"/> hold.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    public const int MinJsonDepth = 2;

    public const int MaxJsonDepth = 64;

    public static void CheckLifetime(List<string> failures, string option, TimeSpan value, string owner)
    {
        if (value < MinLifetime)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{option} ({value}) must be at least 1 second: exp has whole seconds, so a shorter token could already be expired when issued ({owner})."));
        }
        else if (value > MaxLifetime)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{option} ({value}) must be at most 366 days ({owner})."));
        }
    }

    public static void CheckJsonDepth(List<string> failures, string option, int value, string owner)
    {
        if (value < MinJsonDepth || value > MaxJsonDepth)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{option} ({value}) must be between {MinJsonDepth} and {MaxJsonDepth} ({owner})."));
        }
    }

    /// <summary>Checks a <see cref="ScopeLimits"/>; returns <see langword="true"/> when it can be used.</summary>
    public static bool CheckLimits(List<string> failures, string option, ScopeLimits? limits, string owner)
    {
        if (limits is null)
        {
            failures.Add($"{option} is required ({owner}).");
            return false;
        }

        var valid = Positive(failures, $"{option}.{nameof(limits.MaxScopes)}", limits.MaxScopes, owner);
        valid &= Positive(failures, $"{option}.{nameof(limits.MaxScopeLength)}", limits.MaxScopeLength, owner);
        valid &= Positive(failures, $"{option}.{nameof(limits.MaxTotalLength)}", limits.MaxTotalLength, owner);
        return valid;
    }

    public static void CheckDefined<TEnum>(List<string> failures, string option, TEnum value, string owner)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            failures.Add($"{option} '{value}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())} ({owner}).");
        }
    }

    private static bool Positive(List<string> failures, string option, int value, string owner)
    {
        if (value > 0)
        {
            return true;
        }

        failures.Add(string.Create(CultureInfo.InvariantCulture, $"{option} ({value}) must be positive ({owner})."));
        return false;
    }
}
