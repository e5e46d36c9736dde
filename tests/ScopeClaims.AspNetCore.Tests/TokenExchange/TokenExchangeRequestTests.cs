using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>Hostile and malformed requests: each gets a 4xx with an exact RFC 6749 §5.2 body and a log line, never a 500 and never a token.</summary>
public class TokenExchangeRequestTests
{
    private const string Malformed = "The request body is not valid form encoding: a malformed percent-escape, invalid UTF-8, or a control character.";

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Request_NotPost_405WithAllowPost(string method)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), EndpointPath.TrimStart('/')));

        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "invalid_request", "The token endpoint accepts POST only.");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal(1, host.RefusalLogs("invalid_request"));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded; charset=iso-8859-1")]
    public async Task Post_WrongContentType_400(string contentType)
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject())), BasicHeader(), contentType);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The request body must be application/x-www-form-urlencoded (UTF-8).");
    }

    [Fact]
    public async Task Post_NoContentType_400()
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, EndpointPath.TrimStart('/')) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(Form(Exchange(Subject())))) };
        request.Headers.TryAddWithoutValidation("Authorization", BasicHeader());

        using var response = await host.Client.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The request body must be application/x-www-form-urlencoded (UTF-8).");
    }

    [Fact]
    public async Task Post_BodyOverTheLimitWithContentLength_413Unread()
    {
        await using var host = await StartAsync();
        var body = Form(Exchange(Subject(), ("scope", new string('a', 17 * 1024))));

        using var response = await host.PostAsync(body, BasicHeader());

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "invalid_request", "The request body exceeds 16384 bytes.");
        Assert.Equal(1, host.RefusalLogs("invalid_request"));
    }

    [Fact]
    public async Task Post_ChunkedBodyOverTheLimit_413()
    {
        await using var host = await StartAsync(o => o.MaxRequestBodySize = 2048);
        using var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(Form(Exchange(Subject(), ("scope", new string('a', 4096)))))));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, EndpointPath.TrimStart('/')) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Authorization", BasicHeader());

        using var response = await host.Client.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "invalid_request", "The request body exceeds 2048 bytes.");
    }

    [Fact]
    public async Task Post_BodyAtTheLimit_IsRead()
    {
        await using var host = await StartAsync(o => o.MaxRequestBodySize = 2048);
        var body = Form(Exchange(Subject(), ("audience", Partner)));
        Assert.True(body.Length < 2048);

        using var response = await host.PostAsync(body, BasicHeader());

        await AssertSuccessAsync(response);
    }

    [Theory]
    [InlineData("scope=read&scope=write")]
    [InlineData("audience=a&audience=a")]
    [InlineData("subject_token=a&subject_token=b")]
    [InlineData("scop%65=read&scope=write")]
    public async Task Post_RepeatedParameter_400NamesIt(string repeated)
    {
        await using var host = await StartAsync();
        var name = repeated.Split('=')[0].Replace("%65", "e", StringComparison.Ordinal);

        using var response = await host.PostAsync("grant_type=" + Uri.EscapeDataString(TokenExchangeGrant) + "&" + repeated, BasicHeader());

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", $"The parameter '{name}' is repeated; each parameter may appear once.");
    }

    [Theory]
    [InlineData("scope=%FF")]                 // a byte that is never UTF-8
    [InlineData("scope=%C3%28")]              // a broken two-byte sequence
    [InlineData("scope=%ED%A0%80")]           // an encoded surrogate
    [InlineData("scope=%C0%AF")]              // an overlong encoding
    [InlineData("scope=%4")]                  // a truncated escape
    [InlineData("scope=%zz")]                 // not hexadecimal
    [InlineData("scope=a%00b")]               // a NUL
    [InlineData("scope=a%0Ab")]               // a control character
    public async Task Post_InvalidEncoding_400(string pair)
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject())) + "&" + pair, BasicHeader());

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", Malformed);
    }

    [Fact]
    public async Task Post_RawInvalidUtf8Bytes_400()
    {
        await using var host = await StartAsync();
        var body = Encoding.ASCII.GetBytes(Form(Exchange(Subject())) + "&scope=").Concat(new byte[] { 0xC3, 0x28 }).ToArray();

        using var response = await host.PostAsync(body, BasicHeader());

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", Malformed);
    }

    [Theory]
    [InlineData("actor_token")]
    [InlineData("actor_token_type")]
    public async Task Post_ActorToken_400NeverIgnored(string name)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(), (name, "x")));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", $"The parameter '{name}' is not supported: this endpoint performs impersonation, not delegation (RFC 8693 section 1.1).");
    }

    [Theory]
    [InlineData("redirect_uri", "The parameter 'redirect_uri' is not supported.")]
    [InlineData("code", "The parameter 'code' is not supported.")]
    [InlineData("Scope", "The request names a parameter this endpoint does not support.")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9", "The request names a parameter this endpoint does not support.")]
    public async Task Post_UnknownParameter_400(string name, string description)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(), (name, "x")));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", description);
    }

    [Fact]
    public async Task Post_OverRawSocket_HeaderAndBodyBuiltByHand_Issues()
    {
        await using var host = await StartAsync();
        var body = Form(Exchange(Subject(), ("audience", Partner)));

        var answer = await host.PostRawAsync($"Authorization: {BasicHeader()}\r\n", body);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("Cache-Control: no-store", answer, StringComparison.Ordinal);
        Assert.Contains("\"token_type\":\"Bearer\"", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_HostileRequests_NeverLeakTheSubjectTokenOrSecretIntoLogs()
    {
        await using var host = await StartAsync();
        var subject = Subject();

        (await host.PostAsync(Form(Exchange(subject, ("actor_token", subject))), BasicHeader())).Dispose();
        (await host.PostAsync(Form(Exchange(subject, ("scope", "a"), ("scope", "b"))), BasicHeader())).Dispose();
        (await host.PostAsync(Form(Exchange(subject)), BasicHeader(SecretClient, Secret + "x"))).Dispose();
        (await host.PostAsync(Form(Exchange(subject)) + "&" + subject + "=1", BasicHeader())).Dispose();

        Assert.Equal(4, host.Logs.Entries.Count(e => e.Event.Name == "TokenExchangeRefused"));
        host.AssertLogsHoldNone(subject, Secret, subject.Split('.')[1]);
    }
}
