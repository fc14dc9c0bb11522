using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Http;
using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing;

/// <summary>
/// Fault injection for tests: dropped watch connections, failing requests, a compacted event history and a paused
/// server. Every hook takes effect for requests that arrive after the call.
/// </summary>
public sealed class ApiFaults
{
    readonly ObjectStore _store;
    readonly object _gate = new();
    readonly List<FailureRule> _rules = [];
    TaskCompletionSource _running = CompletedGate();
    int _dropAfterEvents = -1;

    sealed class FailureRule(int remaining, Func<ApiRequest, bool> matches, int statusCode)
    {
        public int Remaining = remaining;
        public Func<ApiRequest, bool> Matches { get; } = matches;
        public int StatusCode { get; } = statusCode;
    }

    internal ApiFaults(ObjectStore store) => _store = store;

    static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    /// <summary>
    /// Ends every open watch now. With <paramref name="abort"/> the TCP connection is reset (as when a load balancer
    /// drops it); otherwise the response ends cleanly, as when the API server closes a watch.
    /// </summary>
    public int DropWatches(bool abort = false)
    {
        var watchers = _store.Watchers;
        foreach (var watcher in watchers)
        {
            watcher.AbortConnection = abort;
            watcher.Dropped.Cancel();
        }
        return watchers.Count;
    }

    /// <summary>Ends all open watches once <paramref name="events"/> more watch events (any watch) have been sent.</summary>
    public void DropWatchesAfter(int events)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(events);
        lock (_gate)
        {
            _dropAfterEvents = events;
        }
    }

    /// <summary>
    /// Fails the next <paramref name="count"/> resource requests matching <paramref name="predicate"/> (all when null)
    /// with a Status of <paramref name="statusCode"/> (e.g. 409 Conflict, 429 TooManyRequests with Retry-After,
    /// 500 InternalError, 503 ServiceUnavailable), without touching storage.
    /// </summary>
    public void FailNext(int count, int statusCode, Func<ApiRequest, bool>? predicate = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        lock (_gate)
        {
            _rules.Add(new FailureRule(count, predicate ?? (_ => true), statusCode));
        }
    }

    /// <summary>Forgets the watch event history: a watch or continue from any earlier resourceVersion gets 410.</summary>
    public void CompactHistory() => _store.Compact();

    /// <summary>Holds every new request, and the delivery of watch events, until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        lock (_gate)
        {
            if (_running.Task.IsCompleted)
            {
                _running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Resume()
    {
        lock (_gate)
        {
            _running.TrySetResult();
        }
    }

    /// <summary>Removes pending failure rules and drop countdowns and resumes a paused server.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _rules.Clear();
            _dropAfterEvents = -1;
        }
        Resume();
    }

    internal Task WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        Task gate;
        lock (_gate)
        {
            gate = _running.Task;
        }
        return gate.WaitAsync(cancellationToken);
    }

    internal ApiException? TakeFailure(ApiRequest request)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.Matches(request));
            if (rule is null)
            {
                return null;
            }
            if (--rule.Remaining == 0)
            {
                _rules.Remove(rule);
            }
            var target = request.Name is null ? request.Resource : $"{request.Resource} \"{request.Name}\"";
            return rule.StatusCode switch
            {
                409 => ApiException.Conflict(request.Group, request.Resource, request.Name ?? "", "the object has been modified; please apply your changes to the latest version and try again"),
                429 => new ApiException(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later",
                    new JsonObject { ["retryAfterSeconds"] = 1, ["causes"] = new JsonArray(new JsonObject { ["reason"] = "UnexpectedServerResponse", ["message"] = "injected fault" }) }),
                500 => new ApiException(500, "InternalError", $"Internal error occurred: injected fault for {request.Verb} {target}"),
                503 => new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
                404 => ApiException.NotFound(request.Group, request.Resource, request.Name ?? ""),
                403 => new ApiException(403, "Forbidden", $"{target} is forbidden: injected fault"),
                410 => ApiException.Gone("injected fault: the requested resource version is too old"),
                _ => new ApiException(rule.StatusCode, "Unknown", $"injected fault with status {rule.StatusCode}"),
            };
        }
    }

    /// <summary>Called after each watch event is written; drops all watches when the countdown reaches zero.</summary>
    internal void OnWatchEventSent()
    {
        bool drop;
        lock (_gate)
        {
            if (_dropAfterEvents <= 0)
            {
                return;
            }
            drop = --_dropAfterEvents == 0;
            if (drop)
            {
                _dropAfterEvents = -1;
            }
        }
        if (drop)
        {
            DropWatches();
        }
    }
}
