using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace WasmKube.Kube.Runtime;

/// <summary>
/// Reconcile counters and timings per controller, rendered in the Prometheus text format with controller-runtime's
/// metric names (controller_runtime_reconcile_total, ..._errors_total, ..._time_seconds), so existing dashboards apply.
/// </summary>
public sealed class ReconcileMetrics
{
    private readonly ConcurrentDictionary<(string Controller, string Result), long> _totals = new();
    private readonly ConcurrentDictionary<string, (double Sum, long Count)> _durations = new();
    private readonly ConcurrentDictionary<string, Func<int>> _depths = new();

    public void Observe(string controller, string result, TimeSpan elapsed)
    {
        _totals.AddOrUpdate((controller, result), 1, (_, n) => n + 1);
        _durations.AddOrUpdate(controller, (elapsed.TotalSeconds, 1), (_, d) => (d.Sum + elapsed.TotalSeconds, d.Count + 1));
    }

    public void TrackQueue(string controller, Func<int> depth) => _depths[controller] = depth;

    public long Total(string controller, string result) => _totals.GetValueOrDefault((controller, result));

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP controller_runtime_reconcile_total Reconciles per controller and result.\n# TYPE controller_runtime_reconcile_total counter\n");
        foreach (var ((controller, result), value) in _totals.OrderBy(e => e.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"controller_runtime_reconcile_total{{controller=\"{controller}\",result=\"{result}\"}} {value}\n");
        }
        text.Append("# HELP controller_runtime_reconcile_errors_total Reconciles that failed.\n# TYPE controller_runtime_reconcile_errors_total counter\n");
        foreach (var controller in _durations.Keys.Order())
        {
            text.Append(CultureInfo.InvariantCulture, $"controller_runtime_reconcile_errors_total{{controller=\"{controller}\"}} {Total(controller, "error")}\n");
        }
        text.Append("# HELP controller_runtime_reconcile_time_seconds Time spent reconciling.\n# TYPE controller_runtime_reconcile_time_seconds summary\n");
        foreach (var (controller, (sum, count)) in _durations.OrderBy(e => e.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"controller_runtime_reconcile_time_seconds_sum{{controller=\"{controller}\"}} {sum}\n");
            text.Append(CultureInfo.InvariantCulture, $"controller_runtime_reconcile_time_seconds_count{{controller=\"{controller}\"}} {count}\n");
        }
        text.Append("# HELP workqueue_depth Keys waiting in the work queue.\n# TYPE workqueue_depth gauge\n");
        foreach (var (controller, depth) in _depths.OrderBy(e => e.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"workqueue_depth{{name=\"{controller}\"}} {depth()}\n");
        }
        return text.ToString();
    }
}
