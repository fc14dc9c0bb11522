using System.Security.Cryptography.X509Certificates;

namespace WasmKube.Kube.Testing;

/// <summary>Settings of a <see cref="TestApiServer"/>; the defaults suit unit tests.</summary>
public sealed record TestApiServerOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Serve HTTPS with a self-signed certificate made at start (the kubeconfig carries it as certificate-authority-data).
    /// With plain HTTP, requests without credentials are accepted, because client-go (kubectl) sends none over HTTP.
    /// </summary>
    public bool UseHttps { get; init; } = true;

    /// <summary>
    /// With HTTPS, serve this certificate (with its private key) instead of a self-signed one, e.g. one issued by a
    /// test CA; the kubeconfig then names it as the authority to trust. The server disposes it when it stops.
    /// </summary>
    public X509Certificate2? ServingCertificate { get; init; }

    /// <summary>Bearer token clients must send (it is written into the kubeconfig); null accepts any request.</summary>
    public string? Token { get; init; } = "wasmkube-test-token";

    /// <summary>
    /// More bearer tokens the server accepts, token → user name; the request log records that name in
    /// <see cref="ApiRequest.User"/>, so a test can tell apart what each client asked for (e.g. one user per service
    /// account when checking RBAC rules). <see cref="TestApiServer.KubeconfigFor"/> writes a kubeconfig for one.
    /// </summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>How many watch events are retained for watches that resume from a resourceVersion.</summary>
    public int EventHistoryLimit { get; init; } = 1000;

    /// <summary>How often watches that asked for bookmarks (allowWatchBookmarks=true) get one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Run the garbage collector (ownerReference cascade) after deletions, as kube-controller-manager does.</summary>
    public bool GarbageCollection { get; init; } = true;

    /// <summary>YAML files (CRDs or any manifests) loaded before the server starts answering.</summary>
    public IReadOnlyList<string> ManifestFiles { get; init; } = [];

    /// <summary>The default namespace of the kubeconfig's context.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Source of creationTimestamp, deletionTimestamp and ages in tables.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
