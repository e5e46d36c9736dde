using System.Reflection;
using System.Runtime.InteropServices;

namespace ScopeClaims.TestRuntime;

/// <summary>
/// Linked into every test project by tests/Directory.Build.props: the run's test target (net10.0, or net8.0 in the .NET 8
/// run, from -p:ScopeClaimsTestTarget) must be the runtime the tests actually run on, so a misconfigured .NET 8 run (a
/// framework-dependent build rolled forward, a switch that did not reach the project) fails instead of testing .NET 10
/// twice.
/// </summary>
public sealed class TestRuntimeTests
{
#if NUNIT
    [NUnit.Framework.Test]
#else
    [Fact]
#endif
    public void Runtime_IsTheOneTheRunTargets()
    {
        var target = typeof(TestRuntimeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ScopeClaimsTestTarget").Value;
        var expected = target switch
        {
            "net8.0" => 8,
            "net10.0" => 10,
            _ => throw new InvalidOperationException($"Unknown test target '{target}'."),
        };

        var compiledFor = typeof(TestRuntimeTests).Assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()?.FrameworkName;
        var actual = $"{RuntimeInformation.FrameworkDescription} (Environment.Version {Environment.Version}), compiled for {compiledFor}";
        if (Environment.Version.Major != expected
            || !RuntimeInformation.FrameworkDescription.StartsWith($".NET {expected}.", StringComparison.Ordinal)
            || compiledFor != $".NETCoreApp,Version=v{expected}.0")
        {
            throw new InvalidOperationException($"The test target is {target}, but this run is on {actual}.");
        }
    }
}
