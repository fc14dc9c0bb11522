using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Kube.Client;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Controllers;

/// <summary>
/// Reconciles <typeparamref name="TEntity"/>: every change to an entity, or to an object it owns, queues the entity's key;
/// workers call the reconciler and requeue with backoff on failure (controller-runtime's controller + handlers).
/// </summary>
public sealed class Controller<TEntity> : IController, IDisposable
    where TEntity : class, IKubernetesObject<TEntity>
{
    private readonly InformerCache _cache;
    private readonly IReconciler _reconciler;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly RateLimitingQueue<ReconcileRequest> _queue;
    private readonly ControllerMetrics.ControllerSeries? _metrics;

    public Controller(
        string name,
        InformerCache cache,
        IReconciler reconciler,
        ControllerOptions? options = null,
        ILogger? logger = null,
        ControllerMetrics? metrics = null)
    {
        Name = name;
        _cache = cache;
        _reconciler = reconciler;
        _options = options ?? new ControllerOptions();
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics?.ForController(name, Workers);
        _queue = new RateLimitingQueue<ReconcileRequest>(_options.BaseRetryDelay, _options.MaxRetryDelay, metrics: metrics?.ForQueue(name));
        _cache.GetInformer<TEntity>().Subscribe(change => Enqueue(change.Object));
    }

    public string Name { get; }

    private int Workers => Math.Max(1, _options.MaxConcurrentReconciles);

    /// <summary>The shared cache the controller reads from (for <see cref="Watches{TOther}"/> maps that look up related objects).</summary>
    public InformerCache Cache => _cache;

    /// <summary>Reconciles the owner whenever an object it controls changes (ownerReferences with controller: true).</summary>
    public Controller<TEntity> Owns<TChild>()
        where TChild : class, IKubernetesObject<TChild>
    {
        var owner = TEntity.Definition;
        _cache.GetInformer<TChild>().Subscribe(change =>
        {
            foreach (var reference in change.Object.Metadata.OwnerReferences ?? [])
            {
                if (reference.Controller == true && reference.Kind == owner.Kind && reference.ApiVersion == owner.ApiVersion)
                {
                    _queue.Add(new ReconcileRequest(owner.Namespaced ? change.Object.Metadata.Namespace : null, reference.Name));
                }
            }
        });
        return this;
    }

    /// <summary>Reconciles whatever <paramref name="map"/> names when a <typeparamref name="TOther"/> changes.</summary>
    public Controller<TEntity> Watches<TOther>(Func<TOther, IEnumerable<ReconcileRequest>> map)
        where TOther : class, IKubernetesObject<TOther>
    {
        _cache.GetInformer<TOther>().Subscribe(change =>
        {
            foreach (var request in map(change.Object))
            {
                _queue.Add(request);
            }
        });
        return this;
    }

    /// <summary>Queues a key from outside (tests, periodic resyncs).</summary>
    public void Enqueue(ReconcileRequest request) => _queue.Add(request);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _cache.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Controller {Controller} started with {Workers} workers", Name, Workers);
        var workers = Enumerable.Range(0, Workers)
            .Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None))
            .ToArray();
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            _queue.ShutDown();
        }
    }

    private void Enqueue(TEntity entity) =>
        _queue.Add(new ReconcileRequest(entity.Metadata.Namespace, entity.Metadata.Name ?? ""));

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ReconcileRequest request;
            try
            {
                request = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var outcome = ReconcileOutcome.Success;
            _metrics?.Started();
            try
            {
                var result = await _reconciler.ReconcileAsync(request, cancellationToken).ConfigureAwait(false);
                if (result.RequeueAfter is { } after)
                {
                    _queue.Forget(request);
                    _queue.AddAfter(request, after);
                    outcome = ReconcileOutcome.RequeueAfter;
                }
                else if (result.Requeue)
                {
                    _queue.AddRateLimited(request);
                    outcome = ReconcileOutcome.Requeue;
                }
                else
                {
                    _queue.Forget(request);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Graceful shutdown: the key is picked up again by whoever runs next.
            }
            catch (KubernetesApiException e) when (e.IsConflict)
            {
                // Someone wrote in between: normal under contention, retry from a fresh read.
                _logger.LogDebug("Reconcile of {Request} hit a conflict; retrying", request);
                _queue.AddRateLimited(request);
                outcome = ReconcileOutcome.Error;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Reconcile of {Request} failed (attempt {Attempt})", request, _queue.NumRequeues(request) + 1);
                _queue.AddRateLimited(request);
                outcome = ReconcileOutcome.Error;
            }
            finally
            {
                _queue.Done(request);
                _metrics?.Finished(outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
        }
    }

    public void Dispose() => _queue.Dispose();
}
