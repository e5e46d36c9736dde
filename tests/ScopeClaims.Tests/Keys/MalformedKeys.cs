using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Tests.Keys;

/// <summary>How a malformed key reaches ScopeClaims.</summary>
internal enum MalformedKind
{
    /// <summary>JWK JSON: <c>FromJwk</c>, <c>FromJwkFile</c>, <c>FromFile</c>, <c>SigningKey.Jwk</c>, <c>SigningKey.Path</c>, <c>--key</c>.</summary>
    Jwk,

    /// <summary>PEM text: <c>FromPem</c>, <c>FromPemFile</c>, <c>FromFile</c>, <c>SigningKey.Pem</c>, <c>SigningKey.Path</c>, <c>--key</c>.</summary>
    Pem,

    /// <summary>A PKCS#12 file and its password: <c>FromPfxFile</c>, <c>SigningKey.CertificatePath</c>.</summary>
    Pkcs12,

    /// <summary>A PEM certificate file and a PEM key file: <c>FromPemCertificate</c>, <c>SigningKey.CertificatePath</c>.</summary>
    CertificatePem,

    /// <summary>Key content given where a path belongs: <c>FromFile</c>, <c>SigningKey.Path</c>, <c>--key</c>.</summary>
    ContentAsPath,
}

/// <summary>One malformed or refused key, the file it lives in, and the secrets that must never be quoted.</summary>
internal sealed record MalformedKey(string Name, MalformedKind Kind, string Text, string Path, string? KeyPath, string? Password, string[] Secrets)
{
    /// <summary>Every library entry point that takes this key, by name.</summary>
    public IEnumerable<(string Via, Func<TokenSigningKey> Load)> LibraryLoads()
    {
        switch (Kind)
        {
            case MalformedKind.Jwk:
                yield return ("FromJwk", () => TokenSigningKey.FromJwk(Text));
                yield return ("FromJwkFile", () => TokenSigningKey.FromJwkFile(Path));
                yield return ("FromFile", () => TokenSigningKey.FromFile(Path));
                break;
            case MalformedKind.Pem:
                yield return ("FromPem", () => TokenSigningKey.FromPem(Text));
                yield return ("FromPemFile", () => TokenSigningKey.FromPemFile(Path));
                yield return ("FromFile", () => TokenSigningKey.FromFile(Path));
                break;
            case MalformedKind.Pkcs12:
                yield return ("FromPfxFile", () => TokenSigningKey.FromPfxFile(Path, Password));
                break;
            case MalformedKind.CertificatePem:
                yield return ("FromPemCertificate", () => TokenSigningKey.FromPemCertificate(Path, KeyPath));
                break;
            case MalformedKind.ContentAsPath:
                yield return ("FromFile", () => TokenSigningKey.FromFile(Text));
                yield return ("FromPemFile", () => TokenSigningKey.FromPemFile(Text));
                yield return ("FromJwkFile", () => TokenSigningKey.FromJwkFile(Text));
                break;
        }
    }

    /// <summary>Every configuration that names this key, as <c>SigningKey:*</c> values.</summary>
    public IEnumerable<(string Via, Dictionary<string, string?> Values)> Configurations()
    {
        switch (Kind)
        {
            case MalformedKind.Jwk:
                yield return ("SigningKey:Jwk", new() { ["Jwk"] = Text });
                yield return ("SigningKey:Path", new() { ["Path"] = Path });
                break;
            case MalformedKind.Pem:
                yield return ("SigningKey:Pem", new() { ["Pem"] = Text });
                yield return ("SigningKey:Path", new() { ["Path"] = Path });
                break;
            case MalformedKind.Pkcs12:
                yield return ("SigningKey:CertificatePath", new() { ["CertificatePath"] = Path, ["CertificatePassword"] = Password });
                break;
            case MalformedKind.CertificatePem:
                yield return ("SigningKey:CertificatePath", new() { ["CertificatePath"] = Path, ["CertificateKeyPath"] = KeyPath });
                break;
            case MalformedKind.ContentAsPath:
                yield return ("SigningKey:Path", new() { ["Path"] = Text });
                break;
        }
    }

    /// <summary>The <c>--key</c> value the tool takes for this key, or <see langword="null"/> when the tool has no such input.</summary>
    public string? CliKey => Kind switch
    {
        MalformedKind.Jwk or MalformedKind.Pem => Path,
        MalformedKind.ContentAsPath => Text,
        _ => null,
    };
}

/// <summary>
/// A table of malformed and refused keys of every kind, each holding real private material, written once per test
/// run to files of their own.
/// </summary>
internal static class MalformedKeys
{
    private static readonly Lazy<IReadOnlyList<MalformedKey>> s_all = new(Create);

    public static string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("scopeclaims-malformed-").FullName;

    public static IReadOnlyList<MalformedKey> All => s_all.Value;

    public static MalformedKey Get(string name) => All.Single(k => k.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var key in All)
        {
            data.Add(key.Name);
        }

        return data;
    }

    private static IReadOnlyList<MalformedKey> Create()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };

        var keys = new List<MalformedKey>();
        var rsaJwk = TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "rsa").ExportPrivateJwk();
        var ecJwk = TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "ec").ExportPrivateJwk();
        var octJwk = TokenSigningKey.Generate(SecurityAlgorithms.HmacSha256, "oct").ExportPrivateJwk();

        void Jwk(string name, string json, string source) =>
            keys.Add(new MalformedKey(name, MalformedKind.Jwk, json, Write(name + ".jwk", json), null, null, SecretLeak.JwkSecrets(source).ToArray()));

        // JSON that does not parse, with the private members in it.
        Jwk("jwk-rsa-trailing-comma", rsaJwk.TrimEnd().TrimEnd('}').TrimEnd() + ",}", rsaJwk);
        Jwk("jwk-ec-trailing-comma", ecJwk.TrimEnd().TrimEnd('}').TrimEnd() + ",}", ecJwk);
        Jwk("jwk-oct-trailing-comma", octJwk.TrimEnd().TrimEnd('}').TrimEnd() + ",}", octJwk);
        Jwk("jwk-rsa-truncated", rsaJwk[..(rsaJwk.Length * 3 / 4)], rsaJwk);
        Jwk("jwk-rsa-single-quotes", rsaJwk.Replace('"', '\''), rsaJwk);
        Jwk("jwk-rsa-comment", "// my key\n" + rsaJwk, rsaJwk);

        // JSON that parses, but whose members do not make a key.
        Jwk("jwk-rsa-e-number", Edit(rsaJwk, o => o["e"] = 65537), rsaJwk);
        Jwk("jwk-rsa-d-object", Edit(rsaJwk, o => o["d"] = new JsonObject { ["value"] = o["d"]!.GetValue<string>() }), rsaJwk);
        Jwk("jwk-rsa-qi-not-base64url", Edit(rsaJwk, o => o["qi"] = o["qi"]!.GetValue<string>() + "!*"), rsaJwk);
        Jwk("jwk-rsa-p-swapped-with-q", Edit(rsaJwk, o => (o["p"], o["q"]) = (o["q"]!.DeepClone(), o["p"]!.DeepClone())), rsaJwk);
        Jwk("jwk-rsa-d-only", Edit(rsaJwk, o => { o.Remove("p"); o.Remove("q"); o.Remove("dp"); o.Remove("dq"); o.Remove("qi"); }), rsaJwk);
        Jwk("jwk-rsa-oth", Edit(rsaJwk, o => o["oth"] = new JsonArray(new JsonObject { ["r"] = o["p"]!.GetValue<string>(), ["d"] = o["dp"]!.GetValue<string>(), ["t"] = o["qi"]!.GetValue<string>() })), rsaJwk);
        Jwk("jwk-rsa-use-enc", Edit(rsaJwk, o => o["use"] = "enc"), rsaJwk);
        Jwk("jwk-rsa-key-ops-numbers", Edit(rsaJwk, o => o["key_ops"] = new JsonArray(1, 2)), rsaJwk);
        Jwk("jwk-ec-x5c-objects", Edit(ecJwk, o => o["x5c"] = new JsonArray(new JsonObject { ["d"] = o["d"]!.GetValue<string>() })), ecJwk);
        Jwk("jwk-rsa-duplicate-d", rsaJwk.Replace("\"d\":", "\"d\": \"AAAA\", \"d\":", StringComparison.Ordinal), rsaJwk);
        Jwk("jwk-rsa-kty-is-secret", Edit(rsaJwk, o => o["kty"] = o["d"]!.GetValue<string>()), rsaJwk);
        Jwk("jwk-ec-crv-is-secret", Edit(ecJwk, o => o["crv"] = o["d"]!.GetValue<string>()), ecJwk);
        Jwk("jwk-ec-alg-is-secret", Edit(ecJwk, o => o["alg"] = o["d"]!.GetValue<string>()), ecJwk);
        Jwk("jwk-ec-d-off-curve", Edit(ecJwk, o => o["x"] = o["y"]!.DeepClone()), ecJwk);
        Jwk("jwk-oct-too-short", Edit(octJwk, o => o["k"] = o["k"]!.GetValue<string>()[..20]), octJwk);
        Jwk("jwks-two-private-keys", $$"""{"keys":[{{rsaJwk}},{{ecJwk}}]}""", rsaJwk);
        using (var weak = RSA.Create(1024))
        {
            var weakJwk = new TokenSigningKeyJwk(weak).Json;
            Jwk("jwk-rsa-1024", weakJwk, weakJwk);
        }

        // PEM.
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rsaPem = rsa.ExportRSAPrivateKeyPem();
        var pkcs8Pem = rsa.ExportPkcs8PrivateKeyPem();
        var ecPem = ec.ExportECPrivateKeyPem();
        var bodyOf = (string pem) => SecretLeak.PemBody(pem).ToArray();

        void Pem(string name, string text, params string[] sources) =>
            keys.Add(new MalformedKey(name, MalformedKind.Pem, text, Write(name + ".pem", text), null, null, sources.SelectMany(bodyOf).ToArray()));

        var rsaLines = rsaPem.Split('\n');
        Pem("pem-rsa-truncated", string.Join('\n', rsaLines.Take(rsaLines.Length / 2)) + "\n-----END RSA PRIVATE KEY-----\n", rsaPem);
        Pem("pem-rsa-corrupted", rsaPem.Replace(rsaLines[5], new string(rsaLines[5].Reverse().ToArray()), StringComparison.Ordinal), rsaPem);
        Pem("pem-pkcs8-label-mismatch", pkcs8Pem.Replace("PRIVATE KEY", "EC PRIVATE KEY", StringComparison.Ordinal), pkcs8Pem);
        Pem("pem-two-private-keys", rsaPem + "\n" + ecPem, rsaPem, ecPem);
        Pem("pem-encrypted", rsa.ExportEncryptedPkcs8PrivateKeyPem("pem-password-0001", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)), pkcs8Pem);
        Pem("pem-body-not-base64", rsaPem.Replace(rsaLines[3], rsaLines[3][..10] + "%%%%" + rsaLines[3][14..], StringComparison.Ordinal), rsaPem);
        using (var weak = RSA.Create(1024))
        {
            var weakPem = weak.ExportRSAPrivateKeyPem();
            Pem("pem-rsa-1024", weakPem, weakPem);
        }

        // Key content where a path belongs.
        keys.Add(new MalformedKey("path-is-pem-text", MalformedKind.ContentAsPath, rsaPem, string.Empty, null, null, bodyOf(rsaPem)));
        keys.Add(new MalformedKey("path-is-jwk-text", MalformedKind.ContentAsPath, rsaJwk, string.Empty, null, null, SecretLeak.JwkSecrets(rsaJwk).ToArray()));

        // PKCS#12.
        const string password = "pfx-password-0001";
        using var certificate = new CertificateRequest("CN=malformed", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = certificate.Export(X509ContentType.Pfx, password);
        var pfxSecrets = bodyOf(pkcs8Pem).Append(password).Append(Convert.ToBase64String(pfx)).ToArray();
        keys.Add(new MalformedKey("pkcs12-wrong-password", MalformedKind.Pkcs12, string.Empty, WriteBytes("wrong-password.pfx", pfx), null, "pfx-password-9999", pfxSecrets.Append("pfx-password-9999").ToArray()));
        keys.Add(new MalformedKey("pkcs12-truncated", MalformedKind.Pkcs12, string.Empty, WriteBytes("truncated.pfx", pfx[..(pfx.Length / 2)]), null, password, pfxSecrets));
        keys.Add(new MalformedKey("pkcs12-is-pem", MalformedKind.Pkcs12, string.Empty, Write("is-pem.pfx", rsaPem), null, password, bodyOf(rsaPem).Append(password).ToArray()));

        // A PEM certificate and its key.
        var certificatePem = certificate.ExportCertificatePem();
        var certificatePath = Write("certificate.pem", certificatePem);
        keys.Add(new MalformedKey("certificate-key-mismatch", MalformedKind.CertificatePem, string.Empty, certificatePath, Write("other.key", ecPem), null, bodyOf(ecPem)));
        keys.Add(new MalformedKey("certificate-key-corrupted", MalformedKind.CertificatePem, string.Empty, certificatePath, Write("corrupted.key", pkcs8Pem.Replace(pkcs8Pem.Split('\n')[4], new string(pkcs8Pem.Split('\n')[4].Reverse().ToArray()), StringComparison.Ordinal)), null, bodyOf(pkcs8Pem)));
        keys.Add(new MalformedKey("certificate-key-is-jwk", MalformedKind.CertificatePem, string.Empty, certificatePath, Write("jwk.key", rsaJwk), null, SecretLeak.JwkSecrets(rsaJwk).ToArray()));
        keys.Add(new MalformedKey("certificate-is-private-key", MalformedKind.CertificatePem, string.Empty, Write("is-key.crt", pkcs8Pem), null, null, bodyOf(pkcs8Pem)));

        return keys;
    }

    private static string Edit(string json, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    private static string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string WriteBytes(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A private RSA JWK written from the platform's parameters, for keys <see cref="TokenSigningKey"/> refuses to export.</summary>
    private sealed class TokenSigningKeyJwk
    {
        public TokenSigningKeyJwk(RSA rsa)
        {
            var p = rsa.ExportParameters(true);
            Json = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["kty"] = "RSA",
                ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent),
                ["d"] = Base64UrlEncoder.Encode(p.D),
                ["p"] = Base64UrlEncoder.Encode(p.P),
                ["q"] = Base64UrlEncoder.Encode(p.Q),
                ["dp"] = Base64UrlEncoder.Encode(p.DP),
                ["dq"] = Base64UrlEncoder.Encode(p.DQ),
                ["qi"] = Base64UrlEncoder.Encode(p.InverseQ),
            });
        }

        public string Json { get; }
    }
}
