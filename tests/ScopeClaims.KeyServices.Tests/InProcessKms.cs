using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;

namespace ScopeClaims.KeyServices.Tests;

/// <summary>
/// AWS KMS answered in this process, at the SDK's HTTP layer: the real <see cref="AmazonKeyManagementServiceClient"/>
/// builds, signs (SigV4) and sends its requests, and this handler answers GetPublicKey and Sign with a key of its own,
/// ECDSA signatures in DER as KMS gives them.
/// </summary>
internal sealed class InProcessKms : HttpMessageHandler
{
    private readonly AsymmetricAlgorithm _key;
    private readonly string _keySpec;
    private readonly string[] _algorithms;

    private InProcessKms(AsymmetricAlgorithm key, string keySpec, params string[] algorithms) => (_key, _keySpec, _algorithms) = (key, keySpec, algorithms);

    public ConcurrentQueue<KmsRequest> Requests { get; } = new();

    /// <summary>Gets or sets the key's usage as GetPublicKey reports it.</summary>
    public string KeyUsage { get; set; } = "SIGN_VERIFY";

    /// <summary>When set, Sign answers with this error type (a KMS exception name) and status 400.</summary>
    public string? SignError { get; set; }

    /// <summary>When set, every request waits for this task (or the SDK's cancellation) before it is answered.</summary>
    public Task? Hold { get; set; }

    public static InProcessKms Ec256() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), "ECC_NIST_P256", "ECDSA_SHA_256");

    public static InProcessKms Ec384() => new(ECDsa.Create(ECCurve.NamedCurves.nistP384), "ECC_NIST_P384", "ECDSA_SHA_384");

    public static InProcessKms Rsa2048() => new(RSA.Create(2048), "RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PSS_SHA_256");

    public AmazonKeyManagementServiceClient Client() => new(
        new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        new AmazonKeyManagementServiceConfig { RegionEndpoint = RegionEndpoint.EUWest1, HttpClientFactory = new Factory(this), MaxErrorRetry = 0 });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.GetValues("X-Amz-Target").Single();
        using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
        Requests.Enqueue(new KmsRequest(target, body.RootElement.Clone(), request.Headers.TryGetValues("Authorization", out var authorization) ? string.Join(",", authorization) : null));
        if (Hold is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        return target switch
        {
            "TrentService.GetPublicKey" => Json(HttpStatusCode.OK, new Dictionary<string, object>
            {
                ["KeyId"] = body.RootElement.GetProperty("KeyId").GetString()!,
                ["KeySpec"] = _keySpec,
                ["KeyUsage"] = KeyUsage,
                ["PublicKey"] = Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()),
                ["SigningAlgorithms"] = _algorithms,
            }),
            "TrentService.Sign" when SignError is { } error => Json(HttpStatusCode.BadRequest, new Dictionary<string, object> { ["__type"] = error, ["message"] = "The key is not usable now." }),
            "TrentService.Sign" => Sign(body.RootElement),
            _ => Json(HttpStatusCode.BadRequest, new Dictionary<string, object> { ["__type"] = "UnsupportedOperationException", ["message"] = target }),
        };
    }

    private HttpResponseMessage Sign(JsonElement request)
    {
        var message = Convert.FromBase64String(request.GetProperty("Message").GetString()!);
        var algorithm = request.GetProperty("SigningAlgorithm").GetString()!;
        var digest = request.GetProperty("MessageType").GetString() == "DIGEST";
        var hash = algorithm.EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        var signature = _key switch
        {
            ECDsa ec when digest => ec.SignHash(message, DSASignatureFormat.Rfc3279DerSequence),
            ECDsa ec => ec.SignData(message, hash, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => digest
                ? rsa.SignHash(message, hash, Padding(algorithm))
                : rsa.SignData(message, hash, Padding(algorithm)),
            _ => throw new NotSupportedException(),
        };
        return Json(HttpStatusCode.OK, new Dictionary<string, object>
        {
            ["KeyId"] = request.GetProperty("KeyId").GetString()!,
            ["Signature"] = Convert.ToBase64String(signature),
            ["SigningAlgorithm"] = algorithm,
        });
    }

    private static RSASignaturePadding Padding(string algorithm) => algorithm.Contains("PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    private static HttpResponseMessage Json(HttpStatusCode status, Dictionary<string, object> body) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/x-amz-json-1.1"),
    };

    private sealed class Factory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }
}

/// <summary>One request KMS received: its operation, its JSON body and its SigV4 Authorization header.</summary>
internal sealed record KmsRequest(string Target, JsonElement Body, string? Authorization);
