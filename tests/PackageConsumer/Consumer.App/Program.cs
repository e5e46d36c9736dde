using Consumer.App;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddPartnerTokens(PartnerTokens.NewKey());
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine(PartnerTokens.IssueFor(host.Services, "read:a write:b"));
await host.StopAsync();
