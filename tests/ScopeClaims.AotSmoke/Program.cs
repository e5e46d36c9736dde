using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Testing;

// Native-AOT smoke test: configuration binding, DI, issuing (fast path and handler path), normalizing, converting and
// managed keys must all work without reflection-based code.
var key = TokenSigningKey.Generate("ES256", "aot-key");
var services = new ServiceCollection();
services.AddArrayScopeTokens(options =>
{
    options.Issuer = "https://issuer.aot";
    options.Audiences.Add("https://partner.aot");
    options.SigningKeys = new SigningKeySet(key);
});
services.AddScopeTokens("string", new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Issuer"] = "https://issuer.aot",
    ["Audience"] = "https://partner.aot",
    ["Format"] = "SpaceDelimited",
    ["SigningKey:Jwk"] = TokenSigningKey.Generate("HS256").ExportPrivateJwk(),
}).Build());
using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

var token = provider.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("read:a"));
ScopeTokenAssert.That(token).HasScopeArray("read:a").IsSignedWith(kid: "aot-key", alg: "ES256");

var stringToken = provider.GetRequiredService<IScopeTokenIssuerFactory>().GetIssuer("string").Issue(ScopeSet.Parse("read:a write:b"));
ScopeTokenAssert.That(stringToken).HasSpaceDelimitedScope("read:a", "write:b");

var scopes = provider.GetRequiredService<ScopeNormalizer>().Read(new JsonWebToken(token));
var claimsScopes = ScopeNormalizer.Default.Read(new JsonWebToken(stringToken).Claims);

var inbound = new InboundIssuerOptions { Issuer = "https://issuer.aot" };
inbound.Audiences.Add("https://partner.aot");
inbound.Algorithms.Add("ES256");
inbound.SigningKeys.Add(key.ToPublicJsonWebKey()!);
var converterOptions = new ScopeTokenConverterOptions();
converterOptions.Issuers.Add(inbound);
var target = new ScopeTokenOptions { Issuer = "https://converter.aot", SigningKeys = new SigningKeySet(TokenSigningKey.Generate("RS256")), Format = ScopeFormat.SpaceDelimited };
target.Audiences.Add("https://other.aot");
var converted = await new ScopeTokenConverter(converterOptions, new ScopeTokenIssuer(target)).ConvertAsync(token);
ScopeTokenAssert.That(converted.Token).HasSpaceDelimitedScope("read:a");

// Managed keys (ScopeClaims.KeyManagement): created, encrypted with Data Protection, stored, and read back by a second
// container on the same directories, which must sign with the same key.
var root = Directory.CreateTempSubdirectory("scopeclaims-aot-").FullName;
string managedKid;
try
{
    string ManagedIssue(out string kid)
    {
        var managed = new ServiceCollection();
        managed.AddDataProtection().SetApplicationName("scopeclaims-aot").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(root, "dp")));
        managed.AddArrayScopeTokens(options =>
        {
            options.Issuer = "https://issuer.aot";
            options.Audiences.Add("https://partner.aot");
            options.SigningKey.Managed = true;
        });
        managed.AddScopeTokenKeyManagement(keys => keys.Algorithm = "ES256").PersistKeysToFileSystem(Path.Combine(root, "keys"));
        using var container = managed.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var issued = container.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("read:a"));
        kid = new JsonWebToken(issued).Kid;
        return issued;
    }

    var first = ManagedIssue(out managedKid);
    var second = ManagedIssue(out var againKid);
    ScopeTokenAssert.That(first).HasScopeArray("read:a").IsSignedWith(kid: managedKid, alg: "ES256");
    if (againKid != managedKid || Directory.GetFiles(Path.Combine(root, "keys"), "key-*.json").Length != 1)
    {
        throw new InvalidOperationException($"the second container signed with '{againKid}', not the stored key '{managedKid}'");
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[1]));
Console.WriteLine($"aot smoke: ok; scopes '{scopes}' / '{claimsScopes}' / converted '{converted.Scopes}'; managed key {managedKid}; payload {payload.Length} bytes");
return 0;
