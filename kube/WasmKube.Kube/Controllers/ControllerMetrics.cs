using WasmKube.Prometheus;

namespace WasmKube.Kube.Controllers;

/// <summary>
/// Reconcile and work-queue metrics under controller-runtime's names, labels, types and buckets, so dashboards and
/// alerts written for Go controllers apply. Sources: controller-runtime pkg/internal/controller/metrics/metrics.go
/// (controller_runtime_*) and pkg/metrics/workqueue.go (workqueue_*, after client-go's workqueue metrics).
/// </summary>
public sealed class ControllerMetrics
{
    /// <summary>controller-runtime's bounds of controller_runtime_reconcile_time_seconds.</summary>
    public static readonly IReadOnlyList<double> ReconcileTimeBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    /// <summary>The work queue's duration bounds: 10 ns to 1000 s, a decade apart (12 buckets).</summary>
    public static readonly IReadOnlyList<double> WorkQueueDurationBuckets = Histogram.ExponentialBuckets(10e-9, 10, 12);

    private readonly Counter _reconcileTotal;
    private readonly Counter _reconcileErrors;
    private readonly Histogram _reconcileTime;
    private readonly Gauge _maxConcurrentReconciles;
    private readonly Gauge _activeWorkers;
    private readonly Gauge _depth;
    private readonly Counter _adds;
    private readonly Histogram _queueDuration;
    private readonly Histogram _workDuration;
    private readonly Counter _retries;

    public ControllerMetrics(MetricRegistry registry)
    {
        _reconcileTotal = registry.CreateCounter("controller_runtime_reconcile_total", "Total number of reconciliations per controller", "controller", "result");
        _reconcileErrors = registry.CreateCounter("controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller", "controller");
        _reconcileTime = registry.CreateHistogram("controller_runtime_reconcile_time_seconds", "Length of time per reconciliation per controller", ReconcileTimeBuckets, "controller");
        _maxConcurrentReconciles = registry.CreateGauge("controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller", "controller");
        _activeWorkers = registry.CreateGauge("controller_runtime_active_workers", "Number of currently used workers per controller", "controller");
        _depth = registry.CreateGauge("workqueue_depth", "Current depth of workqueue", "name", "controller");
        _adds = registry.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue", "name", "controller");
        _queueDuration = registry.CreateHistogram("workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested", WorkQueueDurationBuckets, "name", "controller");
        _workDuration = registry.CreateHistogram("workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes.", WorkQueueDurationBuckets, "name", "controller");
        _retries = registry.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue", "name", "controller");
    }

    /// <summary>Reconciles of <paramref name="controller"/> that ended with <paramref name="result"/> (see <see cref="ReconcileOutcome"/>).</summary>
    public double ReconcileTotal(string controller, string result) => _reconcileTotal.Find(controller, result)?.Value ?? 0;

    /// <summary>
    /// The series of one controller, created at once so that every result reads 0 before the first reconcile
    /// (a rate over a series that appears only with its first increment misses that increment).
    /// </summary>
    internal ControllerSeries ForController(string controller, int maxConcurrentReconciles)
    {
        _maxConcurrentReconciles.WithLabels(controller).Set(maxConcurrentReconciles);
        _reconcileErrors.WithLabels(controller);
        foreach (var result in ReconcileOutcome.All)
        {
            _reconcileTotal.WithLabels(controller, result);
        }
        return new ControllerSeries(this, controller);
    }

    /// <summary>The series of a controller's work queue (controller-runtime names the queue after the controller).</summary>
    public WorkQueueMetrics ForQueue(string name) => new(
        _depth.WithLabels(name, name),
        _adds.WithLabels(name, name),
        _queueDuration.WithLabels(name, name),
        _workDuration.WithLabels(name, name),
        _retries.WithLabels(name, name));

    internal sealed class ControllerSeries(ControllerMetrics metrics, string controller)
    {
        private readonly GaugeSeries _active = metrics._activeWorkers.WithLabels(controller);
        private readonly HistogramSeries _time = metrics._reconcileTime.WithLabels(controller);
        private readonly CounterSeries _errors = metrics._reconcileErrors.WithLabels(controller);

        public void Started() => _active.Inc();

        public void Finished(string result, TimeSpan elapsed)
        {
            _active.Dec();
            metrics._reconcileTotal.WithLabels(controller, result).Inc();
            if (result == ReconcileOutcome.Error)
            {
                _errors.Inc();
            }
            _time.Observe(elapsed.TotalSeconds);
        }
    }
}
