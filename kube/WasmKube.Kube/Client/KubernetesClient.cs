using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Client;

/// <summary>HTTP implementation of <see cref="IKubernetesClient"/> over one pooled connection handler.</summary>
public sealed class KubernetesClient : IKubernetesClient, IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly KubernetesClientConfiguration _config;
    private readonly RetryPolicy _retry;
    private readonly ILogger _logger;

    public KubernetesClient(
        KubernetesClientConfiguration config,
        RetryPolicy? retry = null,
        ILogger<KubernetesClient>? logger = null,
        HttpMessageHandler? handler = null)
    {
        _config = config;
        _retry = retry ?? RetryPolicy.Default;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _http = new HttpClient(handler ?? CreateHandler(config), disposeHandler: true)
        {
            BaseAddress = config.Host,
            // Watches are long-lived; ordinary requests get their own deadline below.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("wasmkube/0.1");
    }

    public string DefaultNamespace => _config.Namespace;

    public KubernetesClientConfiguration Configuration => _config;

    public async Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var path = T.Definition.ItemPath(@namespace, name);
        try
        {
            return await SendAsync(HttpMethod.Get, path, null, null, T.Definition.TypeInfo, cancellationToken, ObjectAccept(T.Definition)).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<KubernetesList<T>> ListAsync<T>(string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var query = new QueryBuilder()
            .Add("labelSelector", options?.LabelSelector)
            .Add("fieldSelector", options?.FieldSelector)
            .Add("resourceVersion", options?.ResourceVersion)
            .Add("limit", options?.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("continue", options?.Continue);
        return SendAsync(HttpMethod.Get, T.Definition.CollectionPath(@namespace) + query, null, null, T.Definition.ListTypeInfo, cancellationToken,
            T.Definition.MetadataOnly ? PartialObjectMetadataListAccept : null);
    }

    public Task<T> CreateAsync<T>(T item, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var def = T.Definition;
        var @namespace = NamespaceOf(item, def);
        return SendAsync(HttpMethod.Post, def.CollectionPath(@namespace), Json(item, def), "application/json", def.TypeInfo, cancellationToken);
    }

    public Task<T> ReplaceAsync<T>(T item, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var def = T.Definition;
        return SendAsync(HttpMethod.Put, def.ItemPath(NamespaceOf(item, def), NameOf(item)), Json(item, def), "application/json", def.TypeInfo, cancellationToken);
    }

    public Task<T> ReplaceStatusAsync<T>(T item, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var def = T.Definition;
        return SendAsync(HttpMethod.Put, def.ItemPath(NamespaceOf(item, def), NameOf(item)) + "/status", Json(item, def), "application/json", def.TypeInfo, cancellationToken);
    }

    public Task<T> PatchAsync<T>(string? @namespace, string name, KubernetesPatch patch, bool status = false, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var path = T.Definition.ItemPath(@namespace, name) + (status ? "/status" : "");
        return SendAsync(HttpMethod.Patch, path, patch.Body, patch.ContentType, T.Definition.TypeInfo, cancellationToken);
    }

    public Task<T> ApplyAsync<T>(T item, string fieldManager, bool force = false, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        var def = T.Definition;
        item.ApiVersion ??= def.ApiVersion;
        item.Kind ??= def.Kind;
        var query = new QueryBuilder().Add("fieldManager", fieldManager).Add("force", force ? "true" : null);
        var path = def.ItemPath(NamespaceOf(item, def), NameOf(item)) + query;
        return SendAsync(HttpMethod.Patch, path, Json(item, def), "application/apply-patch+yaml", def.TypeInfo, cancellationToken);
    }

    public async Task<bool> DeleteAsync<T>(string? @namespace, string name, DeletePropagation? propagation = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var query = new QueryBuilder().Add("propagationPolicy", propagation?.ToString());
        try
        {
            await SendAsync(HttpMethod.Delete, T.Definition.ItemPath(@namespace, name) + query, null, null, KubeJsonContext.Default.JsonNode, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        string? @namespace,
        WatchOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var def = T.Definition;
        var query = new QueryBuilder()
            .Add("watch", "true")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var path = def.CollectionPath(@namespace) + query;

        using var response = await SendRawAsync(HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken, ObjectAccept(def))
            .ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            yield return DecodeWatchEvent(line, def);
        }
    }

    internal static WatchEvent<T> DecodeWatchEvent<T>(string line, ResourceDefinition<T> def)
        where T : class, IKubernetesObject<T>
    {
        var raw = JsonSerializer.Deserialize(line, KubeJsonContext.Default.RawWatchEvent)
            ?? throw new JsonException("Empty watch event.");
        var type = raw.Type switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => throw new JsonException($"Unknown watch event type '{raw.Type}'."),
        };
        return type == WatchEventType.Error
            ? new WatchEvent<T>(type, null, raw.Object.Deserialize(KubeJsonContext.Default.V1Status))
            : new WatchEvent<T>(type, raw.Object.Deserialize(def.TypeInfo), null);
    }

    private async Task<TResult> SendAsync<TResult>(
        HttpMethod method,
        string path,
        string? body,
        string? contentType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken,
        string? accept = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        using var response = await SendRawAsync(method, path, body, contentType, HttpCompletionOption.ResponseContentRead, deadline.Token, accept)
            .ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, resultType, deadline.Token).ConfigureAwait(false)
            ?? throw new JsonException($"{method} {path} returned an empty body.");
    }

    // The media types that ask kube-apiserver for metadata only (apimachinery's meta.k8s.io/v1 PartialObjectMetadata;
    // a watch sends PartialObjectMetadata objects in its events).
    private const string PartialObjectMetadataAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
    private const string PartialObjectMetadataListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

    private static string? ObjectAccept<T>(ResourceDefinition<T> definition)
        where T : class, IKubernetesObject<T> => definition.MetadataOnly ? PartialObjectMetadataAccept : null;

    /// <summary>Sends with authentication and retries; returns only successful responses.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method,
        string path,
        string? body,
        string? contentType,
        HttpCompletionOption completion,
        CancellationToken cancellationToken,
        string? accept = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt + 1 >= _retry.MaxAttempts;
            using var request = new HttpRequestMessage(method, path)
            {
                // HTTP/2 where the server offers it (ALPN): requests multiplex on one connection and keep-alive
                // pings notice a dead peer under a silent watch.
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept ?? "application/json"));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
            }
            if (_config.Credentials is { } credentials && await credentials.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!last && !cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException)
            {
                var wait = _retry.Delay(attempt, null);
                _logger.LogDebug(e, "{Method} {Path}: connection failed, retry {Attempt} in {Delay}", method, path, attempt + 1, wait);
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            using (response)
            {
                var status = await ReadStatusAsync(response, cancellationToken).ConfigureAwait(false);
                if (!last && IsRetryable(response.StatusCode))
                {
                    var wait = _retry.Delay(attempt, response.Headers.RetryAfter?.Delta);
                    _logger.LogDebug("{Method} {Path}: {Code}, retry {Attempt} in {Delay}", method, path, (int)response.StatusCode, attempt + 1, wait);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw new KubernetesApiException(response.StatusCode, status, method.Method, path);
            }
        }
    }

    private static bool IsRetryable(HttpStatusCode code) =>
        code is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static async Task<V1Status?> ReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return text.Length == 0 ? null : JsonSerializer.Deserialize(text, KubeJsonContext.Default.V1Status);
        }
        catch (JsonException)
        {
            return new V1Status { Message = text.Length > 500 ? text[..500] : text, Code = (int)response.StatusCode };
        }
    }

    private static string Json<T>(T item, ResourceDefinition<T> def)
        where T : class, IKubernetesObject<T>
    {
        item.ApiVersion ??= def.ApiVersion;
        item.Kind ??= def.Kind;
        return JsonSerializer.Serialize(item, def.TypeInfo);
    }

    private static string NameOf(IKubernetesObject item) =>
        item.Metadata.Name is { Length: > 0 } name
            ? name
            : throw new ArgumentException("The object has no metadata.name.", nameof(item));

    private string? NamespaceOf<T>(T item, ResourceDefinition<T> def)
        where T : class, IKubernetesObject<T>
    {
        if (!def.Namespaced)
        {
            return null;
        }
        return item.Metadata.Namespace ??= _config.Namespace;
    }

    private static SocketsHttpHandler CreateHandler(KubernetesClientConfiguration config)
    {
        var ssl = new SslClientAuthenticationOptions { TargetHost = config.TlsServerName };
        if (config.ClientCertificate is { } certificate)
        {
            ssl.ClientCertificates = new X509CertificateCollection { certificate };
        }
        if (config.SkipTlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (config.CaCertificates is { Count: > 0 } ca)
        {
            // Trust exactly the cluster CA (kubeconfig certificate-authority), not the system store.
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(ca);
        }
        return new SocketsHttpHandler
        {
            SslOptions = ssl,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            MaxConnectionsPerServer = 64,
            EnableMultipleHttp2Connections = true,
        };
    }

    public void Dispose() => _http.Dispose();
}
