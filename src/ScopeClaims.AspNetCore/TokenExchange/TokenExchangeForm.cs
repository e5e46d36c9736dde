using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Reads a token request's <c>application/x-www-form-urlencoded</c> body strictly: bounded in size while it is read,
/// percent-encoding well-formed, strict UTF-8, no control characters, no parameter named twice, no unknown parameter.
/// </summary>
/// <remarks>
/// ASP.NET Core's form reader replaces invalid UTF-8 with U+FFFD and merges repeated names, so two parsers could read
/// one request differently; this reader refuses such a request instead.
/// </remarks>
internal sealed class TokenExchangeForm
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, string> _values;

    private TokenExchangeForm(Dictionary<string, string> values) => _values = values;

    /// <summary>Gets a parameter's value, or <see langword="null"/> when absent or empty (RFC 6749 §3.1: an empty parameter is omitted).</summary>
    public string? this[string name] => _values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Checks the request's method and content type, then reads and parses the body.</summary>
    public static async Task<(TokenExchangeForm? Form, TokenExchangeError? Error)> ReadAsync(HttpRequest request, int maxBodySize, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return (null, new TokenExchangeError(StatusCodes.Status405MethodNotAllowed, TokenExchangeError.InvalidRequestCode, "The token endpoint accepts POST only."));
        }

        if (!IsFormContentType(request.ContentType))
        {
            return (null, TokenExchangeError.InvalidRequest("The request body must be application/x-www-form-urlencoded (UTF-8)."));
        }

        if (request.ContentLength > maxBodySize)
        {
            return (null, TooLarge(maxBodySize));
        }

        // Note: Kestrel then stops a chunked body at the limit too; the bounded read below holds on any server.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBodySize;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBodySize + 1);
        try
        {
            var length = 0;
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, maxBodySize + 1 - length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (length > maxBodySize)
                    {
                        return (null, TooLarge(maxBodySize));
                    }
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, TooLarge(maxBodySize));
            }

            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Parses a form body.</summary>
    public static (TokenExchangeForm? Form, TokenExchangeError? Error) Parse(ReadOnlySpan<byte> body)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!body.IsEmpty)
        {
            var end = body.IndexOf((byte)'&');
            var pair = end < 0 ? body : body[..end];
            body = end < 0 ? ReadOnlySpan<byte>.Empty : body[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf((byte)'=');
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (name is null || value is null)
            {
                return (null, TokenExchangeError.InvalidRequest("The request body is not valid form encoding: a malformed percent-escape, invalid UTF-8, or a control character."));
            }

            if (name is TokenExchangeParameters.ActorToken or TokenExchangeParameters.ActorTokenType)
            {
                return (null, TokenExchangeError.InvalidRequest($"The parameter '{name}' is not supported: this endpoint performs impersonation, not delegation (RFC 8693 §1.1)."));
            }

            if (!TokenExchangeParameters.IsKnown(name))
            {
                return (null, TokenExchangeError.InvalidRequest(IsPlainName(name) ? $"The parameter '{name}' is not supported." : "The request names a parameter this endpoint does not support."));
            }

            if (!values.TryAdd(name, value))
            {
                return (null, TokenExchangeError.InvalidRequest($"The parameter '{name}' is repeated; each parameter may appear once."));
            }
        }

        return (new TokenExchangeForm(values), null);
    }

    /// <summary>Decodes one name or value: <c>+</c> is a space, <c>%XX</c> a byte, the bytes strict UTF-8 without control characters.</summary>
    internal static string? Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            return string.Empty;
        }

        var rented = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < encoded.Length; i++)
            {
                var b = encoded[i];
                if (b == (byte)'+')
                {
                    b = (byte)' ';
                }
                else if (b == (byte)'%')
                {
                    if (i + 2 >= encoded.Length)
                    {
                        return null;
                    }

                    if (!byte.TryParse(encoded.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out b))
                    {
                        return null;
                    }

                    i += 2;
                }

                if (b < 0x20 || b == 0x7F)
                {
                    return null;
                }

                rented[length++] = b;
            }

            try
            {
                return s_strictUtf8.GetString(rented, 0, length);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    private static bool IsFormContentType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Note: a charset other than UTF-8 would change what the bytes mean; this endpoint reads UTF-8 only.
        return !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsPlainName(string name)
    {
        if (name.Length is 0 or > 40 || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static TokenExchangeError TooLarge(int maxBodySize) =>
        new(StatusCodes.Status413PayloadTooLarge, TokenExchangeError.InvalidRequestCode, string.Create(CultureInfo.InvariantCulture, $"The request body exceeds {maxBodySize} bytes."));
}
