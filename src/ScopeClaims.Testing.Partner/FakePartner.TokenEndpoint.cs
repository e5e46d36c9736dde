using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace ScopeClaims.Testing.Partner;

/// <content>The token endpoint.</content>
public sealed partial class FakePartner
{
    /// <summary>The largest token request body read, in bytes.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    private const string TokenPath = "/oauth2/token";
    private const string ApiPath = "/api";
    private const string MetadataPath = "/.well-known/oauth-authorization-server";

    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    private async Task HandleTokenRequestAsync(HttpContext context)
    {
        var request = context.Request;
        var now = _verifier.Settings.TimeProvider.GetUtcNow();
        var authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
        var (form, formProblem) = await ReadFormAsync(request).ConfigureAwait(false);
        var record = new FakePartnerTokenRequest(now, request.ContentType, form, authorization);
        _tokenRequests.Enqueue(record);

        if (_failures.TryDequeue(out var failure))
        {
            if (failure.Delay > TimeSpan.Zero)
            {
                await Task.Delay(failure.Delay, _verifier.Settings.TimeProvider, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                record.StatusCode = failure.StatusCode;
                record.ErrorDescription = "failed on purpose: " + failure.Description;
                if (failure.Location is not null)
                {
                    context.Response.Headers.Location = failure.Location.AbsoluteUri;
                }

                await Answer(context, failure.StatusCode, failure.ContentType, failure.Body ?? string.Empty).ConfigureAwait(false);
                return;
            }
        }

        if (request.Headers.Authorization.Count > 1)
        {
            formProblem ??= "the Authorization header is sent more than once";
        }

        var verdict = formProblem is not null
            ? FakePartnerVerdict.Refused(400, "invalid_request", formProblem)
            : _verifier.Verify(form, authorization, now);
        record.StatusCode = verdict.StatusCode;
        if (verdict.Error is not null)
        {
            record.Error = verdict.Error;
            record.ErrorDescription = verdict.Description;
            if (verdict.WwwAuthenticate is not null)
            {
                context.Response.Headers.WWWAuthenticate = verdict.WwwAuthenticate;
            }

            await Answer(context, verdict.StatusCode, "application/json", FakePartnerJson.Object(("error", verdict.Error), ("error_description", ErrorText(verdict.Description!)))).ConfigureAwait(false);
            return;
        }

        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _validTokens[token] = verdict.Scopes;
        record.IssuedToken = token;
        record.GrantedScopes = verdict.Scopes;
        var body = FakePartnerJson.Object(
            ("access_token", token),
            ("token_type", "Bearer"),
            ("expires_in", _verifier.Settings.TokenLifetimeSeconds),
            ("scope", verdict.Scopes.IsEmpty ? null : verdict.Scopes.ToString()),
            ("issued_token_type", record.GrantType == FakePartnerOptions.TokenExchangeGrantType ? FakePartnerOptions.AccessTokenType : null));
        await Answer(context, StatusCodes.Status200OK, "application/json", body).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the form strictly: <c>application/x-www-form-urlencoded</c> (UTF-8), at most <see cref="MaxRequestBytes"/>,
    /// valid UTF-8, each parameter once (RFC 6749 §3.1); a parameter without a value counts as omitted (§3.2).
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, string> Form, string? Problem)> ReadFormAsync(HttpRequest request)
    {
        var empty = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (empty, "the Content-Type must be application/x-www-form-urlencoded");
        }

        if (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (empty, "the form must be UTF-8");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxRequestBytes)
            {
                return (empty, string.Create(CultureInfo.InvariantCulture, $"the body is over {MaxRequestBytes} bytes"));
            }

            buffer.Write(chunk, 0, read);
        }

        string text;
        try
        {
            text = s_strictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return (empty, "the body is not UTF-8");
        }

        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        string? problem = null;
        foreach (var (name, values) in QueryHelpers.ParseQuery(text))
        {
            var value = values.FirstOrDefault(static v => !string.IsNullOrEmpty(v));
            if (values.Count > 1)
            {
                problem ??= $"the parameter {name} is sent more than once";
            }

            if (value is not null)
            {
                form[name] = value;
            }
        }

        return (form, problem);
    }

    /// <summary>An error_description in RFC 6749 §5.2's characters: others become a space.</summary>
    private static string ErrorText(string description)
    {
        var text = new StringBuilder(description.Length);
        foreach (var c in description)
        {
            text.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : (c == '"' ? '\'' : ' '));
        }

        return text.ToString();
    }
}
