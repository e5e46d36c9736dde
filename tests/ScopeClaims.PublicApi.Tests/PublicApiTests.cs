using System.Reflection;
using System.Text;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.PublicApi.Tests;

/// <summary>
/// The public API of every shipped library, tracked as a snapshot in api/*.txt: any change to it is a visible diff in
/// review. When the API changes on purpose, the failing test writes api/NAME.received.txt; review it and rename it over
/// api/NAME.txt (or run with SCOPECLAIMS_ACCEPT_API=1 to accept every change).
/// </summary>
public class PublicApiTests
{
    public static TheoryData<string> Assemblies => new()
    {
        typeof(ScopeClaims.ScopeSet).Assembly.GetName().Name!,
        typeof(ScopeClaims.Testing.ScopeTokenAssert).Assembly.GetName().Name!,
        typeof(ScopeClaims.AspNetCore.ScopeAuthorizationRequirement).Assembly.GetName().Name!,
        typeof(ScopeClaims.Http.JwtBearerGrantOptions).Assembly.GetName().Name!,
        typeof(ScopeClaims.Testing.Partner.FakePartner).Assembly.GetName().Name!,
        typeof(ScopeClaims.KeyManagement.ScopeTokenKeyManagementOptions).Assembly.GetName().Name!,
        typeof(Microsoft.Extensions.DependencyInjection.ScopeTokenKeyManagementRedisExtensions).Assembly.GetName().Name!,
        typeof(Microsoft.Extensions.DependencyInjection.TokenExchangeRedisServiceCollectionExtensions).Assembly.GetName().Name!,
        typeof(ScopeClaims.Pkcs11.Pkcs11TokenSigner).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PublicApi_MatchesTheApprovedSnapshot(string assemblyName)
    {
        var assembly = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == assemblyName);
        var actual = Describe(assembly);
        var directory = RepositoryFiles.PathOf("tests/ScopeClaims.PublicApi.Tests/api");
        var approvedPath = Path.Combine(directory, assemblyName + ".txt");
        var receivedPath = Path.Combine(directory, assemblyName + ".received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;

        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        if (Environment.GetEnvironmentVariable("SCOPECLAIMS_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        var approvedLines = approved.Split('\n').ToHashSet();
        var actualLines = actual.Split('\n').ToHashSet();
        var added = actual.Split('\n').Where(l => !approvedLines.Contains(l)).Take(20);
        var removed = approved.Split('\n').Where(l => !actualLines.Contains(l)).Take(20);
        Assert.Fail($"The public API of {assemblyName} changed. Review {receivedPath} and move it over {approvedPath}.\nAdded:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}");
    }

    internal static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add(TypeLine(type));
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = new List<string>();
            foreach (var member in type.GetMembers(flags))
            {
                if (MemberLine(member) is { } line)
                {
                    members.Add("  " + line);
                }
            }

            members.Sort(StringComparer.Ordinal);
            lines.AddRange(members);
        }

        return string.Join("\n", lines) + "\n";
    }

    private static string TypeLine(Type type)
    {
        var kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";
        var bases = new List<string>();
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(type.GetInterfaces().Where(i => i.IsVisible).Select(Name).OrderBy(n => n, StringComparer.Ordinal));
        return $"{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty)}";
    }

    private static string? MemberLine(MemberInfo member)
    {
        switch (member)
        {
            case ConstructorInfo c when Visible(c):
                return $"ctor({Parameters(c.GetParameters())})";
            case MethodInfo m when Visible(m) && !m.IsSpecialName:
                return $"{(m.IsStatic ? "static " : string.Empty)}{(m.IsAbstract && !m.DeclaringType!.IsInterface ? "abstract " : string.Empty)}{Name(m.ReturnType)} {m.Name}{Generic(m)}({Parameters(m.GetParameters())})";
            case PropertyInfo p when (p.GetMethod is { } g && Visible(g)) || (p.SetMethod is { } s && Visible(s)):
                var accessors = (p.GetMethod is { } get && Visible(get) ? "get; " : string.Empty) + (p.SetMethod is { } set && Visible(set) ? (IsInit(set) ? "init; " : "set; ") : string.Empty);
                var index = p.GetIndexParameters();
                return $"{(p.GetMethod?.IsStatic == true ? "static " : string.Empty)}{Name(p.PropertyType)} {(index.Length > 0 ? $"this[{Parameters(index)}]" : p.Name)} {{ {accessors}}}";
            case FieldInfo f when (f.IsPublic || f.IsFamily) && !f.IsSpecialName:
                return $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty)}{(f.IsInitOnly ? "readonly " : string.Empty)}{Name(f.FieldType)} {f.Name}{(f.IsLiteral ? " = " + f.GetRawConstantValue() : string.Empty)}";
            case EventInfo e when e.AddMethod is { } add && Visible(add):
                return $"event {Name(e.EventHandlerType!)} {e.Name}";
            default:
                return null;
        }
    }

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static bool IsInit(MethodInfo setter) => setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit");

    private static string Generic(MethodInfo method) => method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Parameters(ParameterInfo[] parameters) => string.Join(", ", parameters.Select(p =>
        $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? (p.IsIn ? "in " : "ref ") : string.Empty)}{(p.GetCustomAttributes(typeof(ParamArrayAttribute), false).Length > 0 ? "params " : string.Empty)}{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Name(Type type)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        var name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name;
        if (type.IsGenericType)
        {
            name = name[..name.IndexOf('`', StringComparison.Ordinal)] + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
        }

        return name;
    }
}
