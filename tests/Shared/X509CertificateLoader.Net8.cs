namespace System.Security.Cryptography.X509Certificates;

/// <summary>
/// The .NET 8 run only (tests/Directory.Build.props links this file for net8.0): the one member of .NET 9's
/// X509CertificateLoader the tests use, on .NET 8's constructor, so the same tests build for both targets. Not the
/// Microsoft.Bcl.Cryptography polyfill: that package brings System.Formats.Asn1 10 with it, which would replace the .NET 8
/// runtime's own under the library being tested.
/// </summary>
internal static class X509CertificateLoader
{
    public static X509Certificate2 LoadCertificate(byte[] data) => new(data);
}
