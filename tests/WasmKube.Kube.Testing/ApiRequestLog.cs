using System.Collections.Concurrent;

namespace WasmKube.Kube.Testing;

/// <summary>
/// Every resource request the server received (discovery and other non-resource requests are not recorded),
/// including those failed by fault injection. Lets tests assert, for example, that a reconcile with nothing to
/// change made no writes: <c>server.Requests.Clear(); ...; Assert.Equal(0, server.Requests.Count(r =&gt; r.IsWrite));</c>
/// </summary>
public sealed class ApiRequestLog
{
    readonly ConcurrentQueue<ApiRequest> _requests = new();

    internal void Add(ApiRequest request) => _requests.Enqueue(request);

    /// <summary>The requests so far, oldest first.</summary>
    public IReadOnlyList<ApiRequest> Snapshot() => [.. _requests];

    /// <summary>How many requests match <paramref name="predicate"/> (all when null).</summary>
    public int Count(Func<ApiRequest, bool>? predicate = null) => predicate is null ? _requests.Count : _requests.Count(predicate);

    /// <summary>How many requests used <paramref name="verb"/> on <paramref name="resource"/> (any resource when null).</summary>
    public int Count(string verb, string? resource = null) =>
        _requests.Count(r => r.Verb == verb && (resource is null || r.Resource == resource));

    /// <summary>How many requests were writes (create, update, patch, delete, deletecollection).</summary>
    public int Writes => _requests.Count(r => r.IsWrite);

    public void Clear() => _requests.Clear();
}
