using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Kube.Client;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Controllers;

/// <summary>
/// Keeps an in-memory copy of one resource type by list + watch (client-go's reflector and store):
/// resumes watches from the last seen resourceVersion (kept fresh by bookmarks), relists on 410 Gone, reconnects
/// with backoff when the connection drops, and tells subscribers only about real changes (same resourceVersion = no event).
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<T>
{
    private readonly IKubernetesClient _client;
    private readonly string? _namespace;
    private readonly string? _labelSelector;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string? Namespace, string Name), T> _store = new();
    private readonly List<Action<InformerEvent<T>>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _dispatch = new();

    public Informer(IKubernetesClient client, string? @namespace = null, string? labelSelector = null, ILogger? logger = null)
    {
        _client = client;
        _namespace = @namespace;
        _labelSelector = labelSelector;
        _logger = logger ?? NullLogger.Instance;
    }

    public Type ObjectType => typeof(T);

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the cache is current to.</summary>
    public string? LastSyncResourceVersion { get; private set; }

    /// <summary>How many times the informer listed from scratch (first sync included).</summary>
    public int ListCount { get; private set; }

    /// <summary>
    /// Subscribes to cache changes. Handlers run one at a time on the informer's loop and must be quick
    /// (typically they add a key to a work queue). A late subscriber first gets Added for every cached object.
    /// </summary>
    public void Subscribe(Action<InformerEvent<T>> handler)
    {
        lock (_dispatch)
        {
            _handlers.Add(handler);
            foreach (var item in _store.Values)
            {
                handler(new InformerEvent<T>(InformerEventType.Added, item, null));
            }
        }
    }

    public T? Get(string? @namespace, string name) => _store.GetValueOrDefault((@namespace, name));

    public IReadOnlyList<T> List(string? @namespace = null) =>
        _store.Values.Where(item => @namespace is null || item.Metadata.Namespace == @namespace).ToList();

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var version = await ListAsync(cancellationToken).ConfigureAwait(false);
                failures = 0;
                await WatchUntilGoneAsync(version, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                var delay = Backoff(failures);
                _logger.LogWarning(e, "Listing {Kind} failed; retrying in {Delay}", T.Definition.Kind, delay);
                await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string?> ListAsync(CancellationToken cancellationToken)
    {
        var seen = new HashSet<(string?, string)>();
        string? continueToken = null;
        string? version;
        do
        {
            var page = await _client.ListAsync<T>(
                _namespace,
                new ListOptions { LabelSelector = _labelSelector, Limit = 500, Continue = continueToken },
                cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                seen.Add(KeyOf(item));
                Upsert(item);
            }
            continueToken = page.Metadata.Continue;
            version = page.Metadata.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(continueToken));

        // Objects deleted while we were not watching: the relist is the only place to learn about them.
        foreach (var (key, item) in _store)
        {
            if (!seen.Contains(key))
            {
                Remove(item);
            }
        }
        ListCount++;
        LastSyncResourceVersion = version;
        _synced.TrySetResult();
        return version;
    }

    /// <summary>Watches, reconnecting from the last version, until the version is too old (410) and a relist is needed.</summary>
    private async Task WatchUntilGoneAsync(string? version, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var options = new WatchOptions
                {
                    ResourceVersion = version,
                    LabelSelector = _labelSelector,
                    AllowBookmarks = true,
                    TimeoutSeconds = Random.Shared.Next(300, 600),
                };
                // The server ends the watch at timeoutSeconds; a connection still open well after that is dead.
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connection.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds.Value + 60));
                await foreach (var change in _client.WatchAsync<T>(_namespace, options, connection.Token).ConfigureAwait(false))
                {
                    failures = 0;
                    switch (change.Type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified:
                            Upsert(change.Object!);
                            break;
                        case WatchEventType.Deleted:
                            Remove(change.Object!);
                            break;
                        case WatchEventType.Bookmark:
                            break;
                        case WatchEventType.Error when change.Error?.Code == 410:
                            _logger.LogDebug("Watch of {Kind} expired at {Version}; relisting", T.Definition.Kind, version);
                            return;
                        case WatchEventType.Error:
                            throw new InvalidOperationException($"Watch of {T.Definition.Kind} failed: {change.Error?.Message}");
                    }
                    version = change.Object?.Metadata.ResourceVersion ?? version;
                    LastSyncResourceVersion = version;
                }
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested
                && e is HttpRequestException or IOException or System.Text.Json.JsonException or OperationCanceledException)
            {
                failures++;
                var delay = Backoff(failures);
                _logger.LogDebug(e, "Watch of {Kind} dropped; resuming from {Version} in {Delay}", T.Definition.Kind, version, delay);
                await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Upsert(T item)
    {
        var key = KeyOf(item);
        lock (_dispatch)
        {
            if (_store.TryGetValue(key, out var old))
            {
                if (old.Metadata.ResourceVersion == item.Metadata.ResourceVersion)
                {
                    return;
                }
                _store[key] = item;
                Notify(new InformerEvent<T>(InformerEventType.Updated, item, old));
            }
            else
            {
                _store[key] = item;
                Notify(new InformerEvent<T>(InformerEventType.Added, item, null));
            }
        }
    }

    private void Remove(T item)
    {
        lock (_dispatch)
        {
            if (_store.TryRemove(KeyOf(item), out var last))
            {
                Notify(new InformerEvent<T>(InformerEventType.Deleted, item.Metadata.ResourceVersion is null ? last : item, null));
            }
        }
    }

    private void Notify(InformerEvent<T> change)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "An event handler for {Kind} failed", T.Definition.Kind);
            }
        }
    }

    private static (string? Namespace, string Name) KeyOf(T item) => (item.Metadata.Namespace, item.Metadata.Name ?? "");

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(failures, 10))) * (0.5 + Random.Shared.NextDouble() / 2));

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown: the caller's loop sees the token and returns.
        }
    }
}
