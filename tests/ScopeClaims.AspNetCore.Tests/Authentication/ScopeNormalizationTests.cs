using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.AspNetCore.Tests.Authentication;

public class ScopeNormalizationTests : IClassFixture<ApiFixture>
{
    private readonly ApiFixture _fixture;

    public ScopeNormalizationTests(ApiFixture fixture) => _fixture = fixture;

    public static TheoryData<string, string, bool> IssuerShapesWithMapping()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var row in IssuerShapeTable.ScopeMembers())
        {
            data.Add((string)row[0], (string)row[1], true);
            data.Add((string)row[0], (string)row[1], false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IssuerShapesWithMapping))]
    public async Task Authenticate_EveryIssuerShape_GivesOneScopeClaimPerScope(string issuer, string scopeMembers, bool mapInboundClaims)
    {
        var view = await GetClaimsAsync(mapInboundClaims, TestTokens.Create(scopeMembers));

        Assert.True(new[] { "read:a", "write:b" }.SequenceEqual(view.Scope.Order(StringComparer.Ordinal)), issuer);
        Assert.Empty(view.Others);
    }

    [Theory]
    [MemberData(nameof(IssuerShapesWithMapping))]
    public async Task Authenticate_ApplicationEvents_RunAfterNormalization(string issuer, string scopeMembers, bool mapInboundClaims)
    {
        // MapInboundClaims on: events set as an instance; off: as a type resolved from DI.
        var view = await GetClaimsAsync(mapInboundClaims, TestTokens.Create(scopeMembers));

        Assert.True(view.SeenByUserEvents is "read:a write:b" or "write:b read:a", issuer);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Authenticate_OneElementArray_GivesOneScopeClaim(bool mapInboundClaims)
    {
        var view = await GetClaimsAsync(mapInboundClaims, TestTokens.Create("\"scope\":[\"read:a\"]"));

        Assert.Equal(new[] { "read:a" }, view.Scope);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Authenticate_NoScopeClaim_GivesNoScopeClaim(bool mapInboundClaims)
    {
        var view = await GetClaimsAsync(mapInboundClaims, TestTokens.Create(string.Empty));

        Assert.Empty(view.Scope);
        Assert.Empty(view.Others);
    }

    public static TheoryData<string, string> HostileScopeClaims => new()
    {
        { "scope is a number", "\"scope\":42" },
        { "scope is a boolean", "\"scope\":true" },
        { "scp is an object", "\"scp\":{\"read:a\":true}" },
        { "nested arrays", "\"scope\":[[\"read:a\"],\"write:b\"]" },
        { "array element holding a space", "\"scope\":[\"read:a\",\"write:b admin\"]" },
        { "tab inside a scope string", "\"scope\":\"read:a\\tadmin\"" },
        { "empty array element", "\"scp\":[\"read:a\",\"\"]" },
        { "scope and scp disagree", "\"scope\":\"read:a\",\"scp\":[\"admin\"]" },
        { "scope named twice", "\"scope\":\"read:a\",\"scope\":\"admin\"" },
        { "scope nested 20 deep", "\"scope\":" + new string('[', 20) + "\"read:a\"" + new string(']', 20) },
    };

    [Theory]
    [MemberData(nameof(HostileScopeClaims))]
    public async Task Authenticate_HostileScopeClaim_Is401NeverA500(string shape, string scopeMembers)
    {
        foreach (var mapInboundClaims in new[] { true, false })
        {
            var api = _fixture.Api(mapInboundClaims);
            var token = TestTokens.Create(scopeMembers);

            foreach (var path in new[] { "/claims", "/any", "/controller/write" })
            {
                using var response = await SendAsync(api, path, token);

                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{shape} on {path}: {response.StatusCode}");
                Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }

            var payload = token.Split('.')[1];
            Assert.DoesNotContain(api.Logs.Entries, e => e.Text.Contains(payload, StringComparison.Ordinal) || e.Text.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Authenticate_HostileScopeClaim_LogsReasonAndClaimOnly()
    {
        var api = _fixture.Api(mapInboundClaims: true);

        using var response = await SendAsync(api, "/claims", TestTokens.Create("\"scp\":[\"read:a\",\"write:b admin\"]"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(api.Logs.Entries, e => e.Event.Name == "ScopesRefused"
            && e.Text.Contains("'scp'", StringComparison.Ordinal)
            && e.Text.Contains(nameof(ScopeErrorReason.ElementContainsSeparator), StringComparison.Ordinal)
            && !e.Text.Contains("write:b admin", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, 17)]
    [InlineData(false, 17)]
    [InlineData(true, 40)]
    [InlineData(false, 40)]
    public async Task Authenticate_OtherClaimNestedDeeply_IsLeftToTheTokenValidator(bool mapInboundClaims, int depth)
    {
        // The normalizer's depth limit bounds the scope claims; the validator accepted the rest of the payload.
        var nested = "\"profile\":" + string.Concat(Enumerable.Repeat("{\"x\":", depth)) + "1" + new string('}', depth);
        var view = await GetClaimsAsync(mapInboundClaims, TestTokens.Create(nested + ",\"scope\":\"read:a write:b\""));

        Assert.Equal(new[] { "read:a", "write:b" }, view.Scope.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Authenticate_BadSignature_Is401(bool mapInboundClaims)
    {
        using var response = await SendAsync(_fixture.Api(mapInboundClaims), "/any", TestTokens.Create("\"scope\":\"read:a\"", TestTokens.OtherKey));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AddScopeNormalization_JwtBearerWithoutEvents_Normalizes()
    {
        await using var api = await KestrelApp.StartAsync(
            builder => builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(o => o.TokenValidationParameters = TestTokens.ValidationParameters())
                .AddScopeNormalization(),
            app => app.MapGet("/scopes", (HttpContext c) => string.Join(' ', c.User.FindAll("scope").Select(s => s.Value))));

        using var response = await SendAsync(api, "/scopes", TestTokens.Create("\"scp\":\"read:a write:b\""));

        Assert.Equal("read:a write:b", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AddScopeNormalization_TransientEventsType_IsOneInstancePerRequest()
    {
        await using var api = await KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddTransient<StatefulEvents>();
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                    .AddJwtBearer(o =>
                    {
                        o.TokenValidationParameters = TestTokens.ValidationParameters();
                        o.EventsType = typeof(StatefulEvents);
                    })
                    .AddScopeNormalization();
            },
            app => app.MapGet("/seen", (HttpContext c) => c.Items["seen"] as string));

        using var response = await SendAsync(api, "/seen", TestTokens.Create("\"scope\":[\"read:a\"]"));

        Assert.Equal("message received, then read:a", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AddScopeNormalization_NamedScheme_LeavesOtherSchemesAlone()
    {
        await using var api = await KestrelApp.StartAsync(
            builder => builder.Services.AddAuthentication()
                .AddJwtBearer("normalized", o => o.TokenValidationParameters = TestTokens.ValidationParameters())
                .AddJwtBearer("raw", o => o.TokenValidationParameters = TestTokens.ValidationParameters())
                .AddScopeNormalization("normalized")
                .AddScopeNormalization("normalized"),
            app =>
            {
                app.MapGet("/{scheme}", async (HttpContext c, string scheme) =>
                {
                    var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(c, scheme);
                    return string.Join('|', result.Principal!.FindAll("scope").Select(s => s.Value));
                });
            });
        var token = TestTokens.Create("\"scope\":\"read:a write:b\"");

        using var normalized = await SendAsync(api, "/normalized", token);
        using var raw = await SendAsync(api, "/raw", token);

        Assert.Equal("read:a|write:b", await normalized.Content.ReadAsStringAsync());
        Assert.Equal("read:a write:b", await raw.Content.ReadAsStringAsync());
    }

    private async Task<ApiFixture.ClaimsView> GetClaimsAsync(bool mapInboundClaims, string token)
    {
        using var response = await SendAsync(_fixture.Api(mapInboundClaims), "/claims", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ApiFixture.ClaimsView>())!;
    }

    internal static Task<HttpResponseMessage> SendAsync(KestrelApp api, string path, string? token, bool addUnauthenticatedIdentity = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (addUnauthenticatedIdentity)
        {
            request.Headers.Add(ApiFixture.AddUnauthenticatedIdentity, "1");
        }

        return api.Client.SendAsync(request);
    }

    private sealed class StatefulEvents : JwtBearerEvents
    {
        private bool _messageReceived;

        public override Task MessageReceived(MessageReceivedContext context)
        {
            _messageReceived = true;
            return Task.CompletedTask;
        }

        public override Task TokenValidated(TokenValidatedContext context)
        {
            context.HttpContext.Items["seen"] = (_messageReceived ? "message received, then " : "no message, then ") + string.Join(' ', context.Principal!.FindAll("scope").Select(c => c.Value));
            return Task.CompletedTask;
        }
    }
}
