using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WasmKube.Kube.Testing.Http;
using WasmKube.Kube.Testing.Storage;
using WasmKube.Kube.Testing.Yaml;

namespace WasmKube.Kube.Testing;

/// <summary>
/// An in-process Kubernetes API server for tests: Kestrel on 127.0.0.1 serving discovery, built-in resources and
/// CRD-defined custom resources with kube-apiserver semantics (resourceVersion, conflicts, generation, status and
/// scale subresources, watch with bookmarks and 410 Gone, finalizers, owner-reference garbage collection, patches,
/// Tables for kubectl get). There are no controllers besides the garbage collector: tests play the other
/// controllers explicitly, e.g. <see cref="SetDeploymentReady"/>.
/// <code>
/// await using var server = await TestApiServer.StartAsync();
/// // point a client at server.KubeconfigPath, or run: kubectl --kubeconfig server.KubeconfigPath get ns
/// </code>
/// </summary>
public sealed class TestApiServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ResourceRegistry _registry;
    readonly ObjectStore _store;
    readonly CancellationTokenSource _stopping;
    readonly Task _bookmarks;
    readonly string _directory;
    readonly TestApiServerOptions _options;

    TestApiServer(WebApplication app, ResourceRegistry registry, ObjectStore store, ApiFaults faults, ApiRequestLog log,
        CancellationTokenSource stopping, Uri baseUrl, string directory, string kubeconfigPath, TestApiServerOptions options, X509Certificate2? certificate)
    {
        _app = app;
        _registry = registry;
        _store = store;
        _stopping = stopping;
        _directory = directory;
        Faults = faults;
        Requests = log;
        BaseUrl = baseUrl;
        KubeconfigPath = kubeconfigPath;
        Token = options.Token;
        Certificate = certificate;
        _options = options;
        _bookmarks = SendBookmarksAsync(options.BookmarkInterval, stopping.Token);
    }

    /// <summary>The server's URL, e.g. http://127.0.0.1:41234/ (https when <see cref="TestApiServerOptions.UseHttps"/>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>A kubeconfig file (cluster, token user, context with the default namespace) for kubectl and clients.</summary>
    public string KubeconfigPath { get; }

    /// <summary>The bearer token the server requires, or null when it accepts anonymous requests.</summary>
    public string? Token { get; }

    /// <summary>The serving certificate (also the CA to trust) when HTTPS is on.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Fault injection: dropped watches, failing requests, history compaction, pause.</summary>
    public ApiFaults Faults { get; }

    /// <summary>The resource requests received so far.</summary>
    public ApiRequestLog Requests { get; }

    /// <summary>The newest resourceVersion handed out.</summary>
    public long ResourceVersion => _store.CurrentRevision;

    public static async Task<TestApiServer> StartAsync(TestApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestApiServerOptions();
        if (options.EventHistoryLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.EventHistoryLimit, "EventHistoryLimit must be at least 1: watches resume from the retained events");
        }
        if (options.BookmarkInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BookmarkInterval, "BookmarkInterval must be positive");
        }
        var registry = new ResourceRegistry();
        var store = new ObjectStore(registry, options.Clock, options.EventHistoryLimit, options.GarbageCollection);
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            store.Create(registry.Find("", "v1", "namespaces")!, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, dryRun: false);
        }
        store.Create(registry.Find("", "v1", "serviceaccounts")!, "default",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, dryRun: false);
        foreach (var file in options.ManifestFiles)
        {
            ApplyDocuments(registry, store, await File.ReadAllTextAsync(file, cancellationToken), file);
        }

        var faults = new ApiFaults(store);
        var log = new ApiRequestLog();
        var stopping = new CancellationTokenSource();
        var certificate = options.UseHttps ? options.ServingCertificate ?? SelfSignedCertificate.Create() : null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        Uri? baseUrl = null;
        var handler = new ApiHandler(registry, store, faults, log, options.Clock, options.Token, options.Users,
            () => baseUrl is null ? "" : $"{baseUrl.Host}:{baseUrl.Port}", stopping.Token);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        baseUrl = new Uri(address.EndsWith('/') ? address : address + "/");

        var directory = Directory.CreateTempSubdirectory("wasmkube-apiserver-").FullName;
        var kubeconfigPath = Path.Combine(directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfigPath, Kubeconfig(baseUrl, options.Token, certificate, options.Namespace), cancellationToken);
        return new TestApiServer(app, registry, store, faults, log, stopping, baseUrl, directory, kubeconfigPath, options, certificate);
    }

    /// <summary>
    /// Writes a kubeconfig like <see cref="KubeconfigPath"/> that authenticates as <paramref name="user"/>, one of
    /// <see cref="TestApiServerOptions.Users"/>, and returns its path (in the server's temp dir).
    /// </summary>
    public string KubeconfigFor(string user)
    {
        var token = _options.Users.FirstOrDefault(u => u.Value == user).Key
            ?? throw new ArgumentException($"no token of TestApiServerOptions.Users belongs to user \"{user}\"", nameof(user));
        // User names such as system:serviceaccount:ns:name hold colons, which KUBECONFIG would read as a list separator.
        var path = Path.Combine(_directory, "kubeconfig-" + string.Concat(user.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')));
        File.WriteAllText(path, Kubeconfig(BaseUrl, token, Certificate, _options.Namespace));
        return path;
    }

    static string Kubeconfig(Uri baseUrl, string? token, X509Certificate2? certificate, string ns)
    {
        var server = baseUrl.ToString().TrimEnd('/');
        var trust = certificate is null
            ? ""
            : $"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()))}\n";
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: wasmkube-test
              cluster:
                server: {server}
            {trust}users:
            - name: wasmkube-test
              user:
                token: {token ?? "anonymous"}
            contexts:
            - name: wasmkube-test
              context:
                cluster: wasmkube-test
                user: wasmkube-test
                namespace: {ns}
            current-context: wasmkube-test

            """;
    }

    async Task SendBookmarksAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                _store.SendBookmarks();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the server.
        }
    }

    ResourceType Resolve(string apiVersion, string resource) =>
        _registry.Find(apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "", apiVersion[(apiVersion.IndexOf('/') + 1)..], resource)
        ?? throw new ArgumentException($"the server does not serve resource \"{resource}\" in {apiVersion}; register its CRD first", nameof(resource));

    /// <summary>Reads an object straight from storage (not recorded in <see cref="Requests"/>); null when absent.</summary>
    public JsonObject? GetObject(string apiVersion, string resource, string? @namespace, string name) =>
        _store.TryGet(Resolve(apiVersion, resource), @namespace, name)?.DeepClone().AsObject();

    /// <summary>Lists objects straight from storage, in one namespace or (null) all.</summary>
    public IReadOnlyList<JsonObject> ListObjects(string apiVersion, string resource, string? @namespace = null) =>
        _store.List(Resolve(apiVersion, resource), @namespace, _ => true, null, null).Items.Select(o => o.DeepClone().AsObject()).ToList();

    /// <summary>
    /// Creates or replaces every document of <paramref name="yaml"/> (CRDs first take effect for later documents), as
    /// <c>kubectl apply</c> would, without going through HTTP. Returns the stored objects.
    /// </summary>
    public IReadOnlyList<JsonObject> ApplyYaml(string yaml) => ApplyDocuments(_registry, _store, yaml, "YAML");

    /// <summary><see cref="ApplyYaml"/> for a file, e.g. a CRD from crds/.</summary>
    public async Task<IReadOnlyList<JsonObject>> ApplyFileAsync(string path, CancellationToken cancellationToken = default) =>
        ApplyDocuments(_registry, _store, await File.ReadAllTextAsync(path, cancellationToken), path);

    static IReadOnlyList<JsonObject> ApplyDocuments(ResourceRegistry registry, ObjectStore store, string yaml, string source)
    {
        var result = new List<JsonObject>();
        foreach (var document in YamlJson.ParseDocuments(yaml))
        {
            if (JsonNode.Parse(document.ToJsonString()) is not JsonObject obj)
            {
                throw new FormatException($"{source}: a document is not a mapping; expected a Kubernetes object");
            }
            var apiVersion = (string?)obj["apiVersion"];
            var kind = (string?)obj["kind"];
            var name = (string?)obj["metadata"]?["name"];
            if (apiVersion is null || kind is null || name is null)
            {
                throw new FormatException($"{source}: every document needs apiVersion, kind and metadata.name");
            }
            var type = registry.FindByKind(apiVersion, kind)
                ?? throw new FormatException($"{source}: no resource serves kind {kind} in {apiVersion}; apply its CustomResourceDefinition first");
            var ns = type.Namespaced ? (string?)obj["metadata"]?["namespace"] ?? "default" : null;
            var existing = store.TryGet(type, ns, name);
            if (existing is null)
            {
                result.Add(store.Create(type, ns, obj, dryRun: false).DeepClone().AsObject());
            }
            else
            {
                obj["metadata"]!["resourceVersion"] = (string?)existing["metadata"]?["resourceVersion"];
                result.Add(store.Replace(type, ns, name, obj, ObjectPart.Main, dryRun: false).DeepClone().AsObject());
            }
        }
        return result;
    }

    /// <summary>
    /// Acts as the deployment controller for one Deployment: records the current generation as observed and reports
    /// <paramref name="readyReplicas"/> (default: spec.replicas) ready, available and up to date, with the Available and
    /// Progressing conditions. Returns the updated Deployment.
    /// </summary>
    public JsonObject SetDeploymentReady(string @namespace, string name, int? readyReplicas = null)
    {
        var type = Resolve("apps/v1", "deployments");
        return _store.Modify(type, @namespace, name, deployment =>
        {
            var desired = (int?)deployment["spec"]?["replicas"] ?? 1;
            deployment["status"] = DeploymentReadiness.Status(name, (long?)deployment["metadata"]?["generation"], desired, readyReplicas ?? desired, _store.Now());
            return deployment;
        }, ObjectPart.Status, dryRun: false).DeepClone().AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _bookmarks;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token);
        }
        await _app.DisposeAsync();
        _stopping.Dispose();
        Certificate?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the directory only holds the kubeconfig.
        }
    }
}
