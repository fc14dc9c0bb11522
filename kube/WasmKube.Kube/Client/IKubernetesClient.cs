using WasmKube.Kube.Models;

namespace WasmKube.Kube.Client;

/// <summary>
/// Typed access to the API server. Every type argument names its own endpoint and JSON contract
/// (<see cref="IKubernetesObject{TSelf}.Definition"/>), so calls read like <c>GetAsync&lt;V1Deployment&gt;(ns, name)</c>.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>The default namespace of the configuration (kubeconfig context or the pod's namespace).</summary>
    string DefaultNamespace { get; }

    /// <summary>Reads one object; null when it does not exist.</summary>
    Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>Lists objects (all namespaces when <paramref name="namespace"/> is null).</summary>
    Task<KubernetesList<T>> ListAsync<T>(string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    Task<T> CreateAsync<T>(T item, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>PUT: fails with 409 when metadata.resourceVersion is stale.</summary>
    Task<T> ReplaceAsync<T>(T item, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>PUT to the status subresource: only .status changes.</summary>
    Task<T> ReplaceStatusAsync<T>(T item, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    Task<T> PatchAsync<T>(string? @namespace, string name, KubernetesPatch patch, bool status = false, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>Server-side apply of the fields set in <paramref name="item"/>, owned by <paramref name="fieldManager"/>.</summary>
    Task<T> ApplyAsync<T>(T item, string fieldManager, bool force = false, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>Deletes an object; false when it was already gone.</summary>
    Task<bool> DeleteAsync<T>(string? @namespace, string name, DeletePropagation? propagation = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>
    /// One watch connection: yields events until the server ends the stream or the connection drops.
    /// A 410 arrives as an <see cref="WatchEventType.Error"/> event or a <see cref="KubernetesApiException"/> with IsGone.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? @namespace, WatchOptions options, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;
}
