using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScopeClaims.Internal;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// The RFC 8693 token-exchange endpoint: reads the request strictly, authenticates the client, selects the target from
/// <c>audience</c>/<c>resource</c>, narrows the scopes, and converts the subject token through the converter.
/// </summary>
internal sealed partial class TokenExchangeEndpoint
{
    private readonly TokenExchangeOptions _options;
    private readonly ClientAuthenticator _authenticator;
    private readonly IReadOnlyList<TokenExchangeTarget> _targets;
    private readonly Dictionary<string, TokenExchangeTarget> _byAudience;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ScopeClaimsAspNetCoreMetrics _metrics;

    private TokenExchangeEndpoint(TokenExchangeOptions options, ClientAuthenticator authenticator, IReadOnlyList<TokenExchangeTarget> targets, Dictionary<string, TokenExchangeTarget> byAudience, TimeProvider time, ILogger logger, ScopeClaimsAspNetCoreMetrics metrics)
    {
        _metrics = metrics;
        _options = options;
        _authenticator = authenticator;
        _targets = targets;
        _byAudience = byAudience;
        _time = time;
        _logger = logger;
        Metadata = new TokenExchangeEndpointMetadata(options);
    }

    public TokenExchangeEndpointMetadata Metadata { get; }

    /// <summary>Resolves everything the endpoint needs when it is mapped, so a misconfiguration fails at start-up.</summary>
    public static TokenExchangeEndpoint Create(IServiceProvider services)
    {
        if (services.GetService<IOptions<TokenExchangeOptions>>() is null || services.GetService<IScopeTokenConverterFactory>() is null)
        {
            throw new InvalidOperationException("The token-exchange endpoint needs builder.Services.AddTokenExchange(...) and a converter registered with AddScopeTokenConverter(...) before app.MapTokenExchange().");
        }

        var options = services.GetRequiredService<IOptions<TokenExchangeOptions>>().Value;
        var failures = new List<string>();
        var clients = TokenExchangeOptionsValidator.ReadClients(options, failures);
        var anonymous = TokenExchangeOptionsValidator.ReadAnonymous(options, failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TokenExchangeOptions), failures);
        }

        var targets = ReadTargets(services, options);
        var byAudience = new Dictionary<string, TokenExchangeTarget>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            foreach (var audience in target.Audiences)
            {
                if (byAudience.TryGetValue(audience, out var other) && !ReferenceEquals(other, target))
                {
                    throw new InvalidOperationException($"The audience '{audience}' belongs to the target profiles of converters '{other.DisplayName}' and '{target.DisplayName}': a request's audience must select one target.");
                }

                byAudience[audience] = target;
            }
        }

        foreach (var client in anonymous is null ? clients.Values : clients.Values.Append(anonymous))
        {
            if (client.Audiences.FirstOrDefault(a => !byAudience.ContainsKey(a)) is { } unknown)
            {
                throw new InvalidOperationException(ReferenceEquals(client, anonymous)
                    ? $"TokenExchangeOptions.AnonymousAllowedAudiences holds the audience '{unknown}', which no target profile of the token-exchange endpoint has."
                    : $"The client '{client.Id}' is allowed the audience '{unknown}', which no target profile of the token-exchange endpoint has.");
            }
        }

        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var assertionAudiences = targets.Select(static t => t.Issuer).Prepend(options.TokenEndpoint?.AbsoluteUri).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ScopeClaims.AspNetCore.TokenExchange");
        var replay = services.GetRequiredService<ITokenExchangeReplayStore>();
        var assertions = new ClientAssertionValidator(assertionAudiences, options.MaxClientAssertionLifetime, options.ClockSkew, replay, options.ReplayKeyPrefix, time, logger);
        var metrics = services.GetService<ScopeClaimsAspNetCoreMetrics>() ?? ScopeClaimsAspNetCoreMetrics.Shared;
        return new TokenExchangeEndpoint(options, new ClientAuthenticator(clients, anonymous, assertions), targets, byAudience, time, logger, metrics);
    }

    /// <summary>
    /// Answers one request, in a <c>scopeclaims.aspnetcore.token_exchange</c> span, counted and timed by result: the
    /// endpoint's own error code and the client authentication method are the only other tags.
    /// </summary>
    public async Task HandleAsync(HttpContext context)
    {
        var requests = _metrics.TokenExchangeRequests;
        var duration = _metrics.TokenExchangeDuration;
        using var activity = ScopeClaimsAspNetCoreMetrics.Source.StartActivity("scopeclaims.aspnetcore.token_exchange", ActivityKind.Internal);
        if (activity is null && !requests.Enabled && !duration.Enabled)
        {
            await HandleCoreAsync(context).ConfigureAwait(false);
            return;
        }

        var started = duration.Enabled ? Stopwatch.GetTimestamp() : 0;
        var outcome = new ExchangeOutcome();
        context.Features.Set(outcome);
        try
        {
            await HandleCoreAsync(context).ConfigureAwait(false);
        }
        finally
        {
            var result = outcome.Result;
            activity?.SetTag(TelemetryNames.Result, result);
            if (outcome.Error is { } code)
            {
                activity?.SetTag(ScopeClaimsAspNetCoreMetrics.OAuthError, code);
                activity?.SetStatus(ActivityStatusCode.Error, code);
            }

            if (outcome.Method is { } method)
            {
                activity?.SetTag(ScopeClaimsAspNetCoreMetrics.ClientAuthentication, method);
            }

            if (requests.Enabled)
            {
                var tags = new TagList { { TelemetryNames.Result, result } };
                if (outcome.Error is not null)
                {
                    tags.Add(ScopeClaimsAspNetCoreMetrics.OAuthError, outcome.Error);
                }

                if (outcome.Method is not null)
                {
                    tags.Add(ScopeClaimsAspNetCoreMetrics.ClientAuthentication, outcome.Method);
                }

                requests.Add(1, tags);
            }

            if (duration.Enabled && started != 0)
            {
                duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(TelemetryNames.Result, result));
            }
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        var response = context.Response;

        // RFC 6749 §5.1 and RFC 8693 §2.2: no response of a token endpoint is cached.
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        var cancellationToken = context.RequestAborted;

        TokenExchangeForm? form;
        TokenExchangeError? error;
        try
        {
            (form, error) = await TokenExchangeForm.ReadAsync(context.Request, _options.MaxRequestBodySize, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            TokenExchangeLog.Aborted(_logger, ex.GetType().Name);
            Record(context, "aborted", null, null);
            if (ex is BadHttpRequestException && !response.HasStarted)
            {
                await WriteErrorAsync(context, TokenExchangeError.InvalidRequest("The request body could not be read."), null).ConfigureAwait(false);
            }

            return;
        }

        if (error is not null)
        {
            await WriteErrorAsync(context, error, null).ConfigureAwait(false);
            return;
        }

        var client = await _authenticator.AuthenticateAsync(context.Request, form!, cancellationToken).ConfigureAwait(false);
        if (client.Error is not null)
        {
            await WriteErrorAsync(context, client.Error, null).ConfigureAwait(false);
            return;
        }

        var outcome = await ExchangeAsync(form!, client.Client!, cancellationToken).ConfigureAwait(false);
        if (outcome.Error is not null)
        {
            await WriteErrorAsync(context, outcome.Error, client.Client).ConfigureAwait(false);
            return;
        }

        var (conversion, target, requested, tokenType) = outcome.Success!.Value;
        var expiresIn = Math.Max(0, (long)Math.Floor((conversion.ExpiresAt - _time.GetUtcNow()).TotalSeconds));
        TokenExchangeLog.Exchanged(_logger, client.Client!.Id, client.Method!, target.DisplayName, conversion.Scopes.Count, expiresIn);
        Record(context, "issued", null, client.Method);
        await WriteSuccessAsync(context, conversion, requested, tokenType, expiresIn).ConfigureAwait(false);
    }

    private async Task WriteErrorAsync(HttpContext context, TokenExchangeError error, RegisteredClient? client)
    {
        var description = TokenExchangeResponses.Sanitize(error.Description);
        TokenExchangeLog.Refused(_logger, error.Code, error.Status, client?.Id ?? "(unauthenticated)", description);
        Record(context, TelemetryNames.Refused, error.Code, null);
        var response = context.Response;
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"token-exchange\", charset=\"UTF-8\"";
        }
        else if (error.Status == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers.Allow = HttpMethods.Post;
        }

        if (error.Status == StatusCodes.Status413PayloadTooLarge)
        {
            // Note: the rest of a body over the limit is never read; the connection closes after the answer.
            response.Headers.Connection = "close";
        }

        await TokenExchangeResponses.WriteErrorAsync(context, error.Status, error.Code, description).ConfigureAwait(false);
    }

    private static Task WriteSuccessAsync(HttpContext context, ScopeTokenConversion conversion, ScopeSet? requested, string tokenType, long expiresIn)
    {
        // RFC 8693 §2.2.1: scope is required when it differs from the scope requested.
        var scope = requested is not null && requested == conversion.Scopes ? null : conversion.Scopes;
        return TokenExchangeResponses.WriteSuccessAsync(context, conversion.Token, tokenType, expiresIn, scope is { IsEmpty: false } ? scope.ToString() : null);
    }

    private static List<TokenExchangeTarget> ReadTargets(IServiceProvider services, TokenExchangeOptions options)
    {
        var factory = services.GetRequiredService<IScopeTokenConverterFactory>();
        var converterOptions = services.GetRequiredService<IOptionsMonitor<ScopeTokenConverterOptions>>();
        var profiles = services.GetRequiredService<IOptionsMonitor<ScopeTokenOptions>>();
        var names = options.Converters.Count == 0 ? [Options.DefaultName] : options.Converters.ToArray();
        var targets = new List<TokenExchangeTarget>(names.Length);
        foreach (var name in names)
        {
            var converter = factory.GetConverter(name);
            var profile = profiles.Get(converterOptions.Get(name).ProfileName ?? Options.DefaultName);
            targets.Add(new TokenExchangeTarget(name, converter, profile.Issuer!, profile.Audiences.ToArray()));
        }

        return targets;
    }

    /// <summary>What the request came to, for the span and the instruments (set only while someone listens).</summary>
    private static void Record(HttpContext context, string result, string? error, string? method)
    {
        if (context.Features.Get<ExchangeOutcome>() is { } outcome)
        {
            outcome.Result = result;
            outcome.Error = error ?? outcome.Error;
            outcome.Method = method ?? outcome.Method;
        }
    }

    private sealed class ExchangeOutcome
    {
        public string Result { get; set; } = TelemetryNames.Failure;

        public string? Error { get; set; }

        public string? Method { get; set; }
    }
}
