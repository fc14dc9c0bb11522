using System.Globalization;
using WasmKube.Contracts;
using WasmKube.Prometheus;

namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// Engine-level metrics of the node's wasm containers: instances running and their linear memory (gauges), module
/// compile and instance start times (histograms, observed once per container) and exits by reason and code (counted
/// once per container when its record shows it stopped; kubelet keeps exited containers until garbage collection, far
/// longer than a scrape interval). Series of containers that are gone are dropped.
/// </summary>
public sealed class EngineMetricsCollector : ICollector
{
    private static readonly IReadOnlyList<double> SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ContainerRecordReader _records;
    private readonly Gauge _instances;
    private readonly Gauge _linearMemory;
    private readonly Histogram _compile;
    private readonly Histogram _start;
    private readonly Counter _exits;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string[]> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _observedStart = new(StringComparer.Ordinal);
    private readonly HashSet<string> _observedExit = new(StringComparer.Ordinal);

    public EngineMetricsCollector(ContainerRecordReader records)
    {
        _records = records;
        var labels = WorkloadMetricsCollector.LabelNames.ToArray();
        _instances = new Gauge("wasmkube_wasm_instances", "Wasm instances running (one per running wasm container).", labels);
        _linearMemory = new Gauge("wasmkube_wasm_linear_memory_bytes", "Size of the guest's linear memory.", labels);
        _compile = new Histogram("wasmkube_wasm_module_compile_seconds", "Time to load a module: compile it, or read the compile cache.", SecondsBuckets, "namespace", "workload");
        _start = new Histogram("wasmkube_wasm_instance_start_seconds", "Time from the task's Start to the guest's entry point.", SecondsBuckets, "namespace", "workload");
        _exits = new Counter("wasmkube_wasm_exits_total",
            "Guest exits by reason (exited, trap, out-of-fuel, timeout, signal, refused) and exit code (128 + signal when killed).",
            "namespace", "workload", "reason", "code");
    }

    public IEnumerable<MetricFamily> Collect()
    {
        lock (_lock)
        {
            Update();
            return [.. _instances.Collect(), .. _linearMemory.Collect(), .. _compile.Collect(), .. _start.Collect(), .. _exits.Collect()];
        }
    }

    private void Update()
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in _records.ReadRecords())
        {
            if (record.Kind != "wasm") continue;
            var key = $"{record.Namespace}/{record.Id}";
            present.Add(key);
            var labels = WorkloadMetricsCollector.LabelValues(record);
            var workloadLabels = new[] { labels[0], labels[3] };

            if (record.ExitStatus is { } code)
            {
                StopTracking(key);
                if (_observedExit.Add(key)) _exits.WithLabels(labels[0], labels[3], ExitReason(record, code), code.ToString(CultureInfo.InvariantCulture)).Inc();
                continue;
            }

            if (record.Status != ContainerRecord.Running || _records.ReadEngineStats(record) is not { } stats) continue;
            _running[key] = labels;
            _instances.WithLabels(labels).Set(1);
            _linearMemory.WithLabels(labels).Set(stats.LinearMemoryBytes);
            if (_observedStart.Add(key))
            {
                _compile.WithLabels(workloadLabels).Observe(stats.CompileSeconds);
                _start.WithLabels(workloadLabels).Observe(stats.StartSeconds);
            }
        }

        foreach (var key in _running.Keys.Where(k => !present.Contains(k)).ToList()) StopTracking(key);
        _observedStart.IntersectWith(present);
        _observedExit.IntersectWith(present);
    }

    /// <summary>
    /// The executor's own account of the exit; without one (it was killed, by kubelet after the grace period or by the
    /// kernel's OOM killer, before it could write) a code above 128 is a signal's.
    /// </summary>
    private string ExitReason(ContainerRecord record, int code) =>
        _records.ReadEngineStats(record)?.ExitReason is { Length: > 0 } reason ? reason
        : code > 128 ? ExitReasons.Signal
        : "unknown";

    private void StopTracking(string key)
    {
        if (!_running.Remove(key, out var labels)) return;
        _instances.Remove(labels);
        _linearMemory.Remove(labels);
    }
}
