using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

// ScopeClaims.StartUp scopeclaims|jwt KEY.pem: builds a minimal host, starts it, issues one 2-scope array token from the
// PEM key (ES256) and writes it; the process's run time is start-up to the first token.
if (args.Length != 2 || args[0] is not ("scopeclaims" or "jwt"))
{
    Console.Error.WriteLine("usage: ScopeClaims.StartUp scopeclaims|jwt KEY.pem");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
if (args[0] == "scopeclaims")
{
    builder.Services.AddArrayScopeTokens(options =>
    {
        options.Issuer = "https://issuer.example";
        options.Audiences.Add("https://partner.example");
        options.SigningKey.Path = args[1];
    });
}

using var host = builder.Build();
await host.StartAsync();
string token;
if (args[0] == "scopeclaims")
{
    token = host.Services.GetRequiredService<IScopeTokenIssuer>().Issue(new ScopeTokenRequest(ScopeSet.Parse("read:a write:b")) { Subject = "client-1" });
}
else
{
    using var ecdsa = ECDsa.Create();
    ecdsa.ImportFromPem(File.ReadAllText(args[1]));
    var key = new ECDsaSecurityKey(ecdsa);
    var now = DateTime.UtcNow;
    token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://issuer.example",
        Audience = "https://partner.example",
        IssuedAt = now,
        NotBefore = now,
        Expires = now.AddMinutes(5),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        Claims = new Dictionary<string, object> { ["sub"] = "client-1", ["jti"] = Guid.NewGuid().ToString("N"), ["scope"] = new[] { "read:a", "write:b" } },
    });
}

Console.WriteLine(token);
await host.StopAsync();
return 0;
