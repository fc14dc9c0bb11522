namespace WasmKube.Kube.Controllers;

/// <summary>
/// A work queue with client-go's guarantees: an item waiting in the queue is held once however often it is added
/// (de-duplication); an item being processed is never handed to a second worker, and an add during processing is
/// replayed after <see cref="Done"/>; failed items come back after a per-item exponential backoff.
/// </summary>
public sealed class RateLimitingQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, DateTimeOffset> _waiting = [];
    private readonly Dictionary<T, int> _failures = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeProvider _time;
    private readonly WorkQueueMetrics? _metrics;
    private readonly Dictionary<T, long> _addedAt = [];
    private readonly Dictionary<T, long> _startedAt = [];

    public RateLimitingQueue(TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, TimeProvider? timeProvider = null, WorkQueueMetrics? metrics = null)
    {
        BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(5);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(1000);
        _time = timeProvider ?? TimeProvider.System;
        _metrics = metrics;
    }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>Items ready to be handed out (not counting those being processed or waiting for a delay).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public bool IsShuttingDown => _shutdown.IsCancellationRequested;

    public void Add(T item)
    {
        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested || !_dirty.Add(item))
            {
                return;
            }
            if (_metrics is not null)
            {
                _metrics.Adds.Inc();
                _metrics.Depth.Set(_dirty.Count);
                _addedAt.TryAdd(item, _time.GetTimestamp());
            }
            if (_processing.Contains(item))
            {
                return;
            }
            _queue.Enqueue(item);
        }
        _available.Release();
    }

    /// <summary>Adds the item once <paramref name="delay"/> has passed; an earlier pending time for the same item wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (!_shutdown.IsCancellationRequested)
        {
            _metrics?.Retries.Inc();
        }
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }
        var readyAt = _time.GetUtcNow() + delay;
        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested || (_waiting.TryGetValue(item, out var pending) && pending <= readyAt))
            {
                return;
            }
            _waiting[item] = readyAt;
        }
        _ = FireLaterAsync(item, readyAt, delay);
    }

    /// <summary>Re-adds a failed item after BaseDelay * 2^failures, capped at MaxDelay.</summary>
    public void AddRateLimited(T item) => AddAfter(item, NextDelay(item));

    /// <summary>Clears the failure history of an item (call after a success).</summary>
    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(item);
        }
    }

    /// <summary>Waits for the next item; throws <see cref="OperationCanceledException"/> on shutdown or cancellation.</summary>
    public async ValueTask<T> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await _available.WaitAsync(linked.Token).ConfigureAwait(false);
        lock (_lock)
        {
            var item = _queue.Dequeue();
            _processing.Add(item);
            _dirty.Remove(item);
            if (_metrics is not null)
            {
                var now = _time.GetTimestamp();
                _metrics.Depth.Set(_dirty.Count);
                if (_addedAt.Remove(item, out var added))
                {
                    _metrics.QueueDuration.Observe(_time.GetElapsedTime(added, now).TotalSeconds);
                }
                _startedAt[item] = now;
            }
            return item;
        }
    }

    /// <summary>Marks processing finished; an add that arrived meanwhile is queued now.</summary>
    public void Done(T item)
    {
        bool requeue;
        lock (_lock)
        {
            _processing.Remove(item);
            if (_metrics is not null && _startedAt.Remove(item, out var started))
            {
                _metrics.WorkDuration.Observe(_time.GetElapsedTime(started).TotalSeconds);
            }
            requeue = _dirty.Contains(item) && !_shutdown.IsCancellationRequested;
            if (requeue)
            {
                _queue.Enqueue(item);
            }
        }
        if (requeue)
        {
            _available.Release();
        }
    }

    public void ShutDown() => _shutdown.Cancel();

    private TimeSpan NextDelay(T item)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures.GetValueOrDefault(item);
            _failures[item] = failures + 1;
        }
        var delay = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 62));
        return delay >= MaxDelay.TotalMilliseconds ? MaxDelay : TimeSpan.FromMilliseconds(delay);
    }

    private async Task FireLaterAsync(T item, DateTimeOffset readyAt, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        lock (_lock)
        {
            // A later AddAfter may have moved the time earlier (then that timer adds it) - only the owner of the entry fires.
            if (!_waiting.TryGetValue(item, out var pending) || pending != readyAt)
            {
                return;
            }
            _waiting.Remove(item);
        }
        Add(item);
    }

    public void Dispose()
    {
        _shutdown.Cancel();
        _shutdown.Dispose();
        _available.Dispose();
    }
}
