using System.Security.Cryptography.X509Certificates;

namespace WasmKube.Kube.Config;

/// <summary>Everything needed to reach one API server as one identity.</summary>
public sealed record KubernetesClientConfiguration
{
    internal const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public required Uri Host { get; init; }

    /// <summary>The namespace of the selected context (or of the pod, in cluster); "default" when none is given.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Trust anchors for the server certificate; null means the system store.</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    public ICredentialProvider? Credentials { get; init; }

    public bool SkipTlsVerify { get; init; }

    public string? TlsServerName { get; init; }

    /// <summary>Name of the kubeconfig context this came from, or null in cluster.</summary>
    public string? ContextName { get; init; }

    /// <summary>True when the process runs in a pod with a mounted service account and KUBERNETES_SERVICE_HOST set.</summary>
    public static bool IsInCluster() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && File.Exists(Path.Combine(ServiceAccountDirectory, "token"));

    /// <summary>
    /// The client-go default order: an explicit kubeconfig path, then $KUBECONFIG, then in-cluster config, then ~/.kube/config.
    /// </summary>
    public static KubernetesClientConfiguration BuildDefault(string? kubeconfigPath = null, string? context = null)
    {
        var path = kubeconfigPath ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (path is not null)
        {
            return KubeConfigLoader.Load(path, context);
        }
        if (context is null && IsInCluster())
        {
            return InCluster();
        }
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(home))
        {
            return KubeConfigLoader.Load(home, context);
        }
        throw new InvalidOperationException(
            "No Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account.");
    }

    /// <summary>Config from the pod's service account (rest.InClusterConfig): token re-read on rotation, the mounted CA.</summary>
    public static KubernetesClientConfiguration InCluster(string serviceAccountDirectory = ServiceAccountDirectory)
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new InvalidOperationException(
                "Not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set. Pass --kubeconfig instead.");
        }
        var tokenPath = Path.Combine(serviceAccountDirectory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new InvalidOperationException(
                $"No service-account token at {tokenPath}; set automountServiceAccountToken: true on the pod or pass --kubeconfig.");
        }
        var caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        var namespacePath = Path.Combine(serviceAccountDirectory, "namespace");
        var bracketed = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        X509Certificate2Collection? ca = null;
        if (File.Exists(caPath))
        {
            ca = new X509Certificate2Collection();
            ca.ImportFromPemFile(caPath);
        }
        return new KubernetesClientConfiguration
        {
            Host = new Uri($"https://{bracketed}:{port}"),
            Namespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "default",
            CaCertificates = ca,
            Credentials = new TokenFileProvider(tokenPath),
        };
    }
}
