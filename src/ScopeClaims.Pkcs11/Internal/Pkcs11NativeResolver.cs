using System;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using Net.Pkcs11Interop.HighLevelAPI;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>
/// Lets Pkcs11Interop find <c>dlopen</c> on current Linux distributions: it imports them from <c>"libdl"</c>, which the
/// runtime looks for as <c>libdl.so</c>, a name only development packages install (Debian 12, Ubuntu 22.04 and later
/// ship <c>libdl.so.2</c>). This maps the name to <c>libdl.so.2</c>, the fix Pkcs11Interop's maintainer recommends.
/// </summary>
internal static class Pkcs11NativeResolver
{
    private static int s_installed;

    public static void Install()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_installed, 1) == 1)
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Note: the application has set its own resolver for Pkcs11Interop; it is left in charge.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero;
}
