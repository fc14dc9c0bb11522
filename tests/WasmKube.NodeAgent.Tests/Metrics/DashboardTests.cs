using System.Text.Json;
using System.Text.RegularExpressions;
using WasmKube.Kube.Controllers;
using WasmKube.NodeAgent.Metrics;
using WasmKube.Prometheus;

namespace WasmKube.NodeAgent.Tests.Metrics;

/// <summary>
/// The dashboard and the metrics reference may only name metrics the agent or the operator exports (the operator's:
/// the controller metrics and the process collector); the reference names them all.
/// </summary>
public sealed partial class DashboardTests
{
    private static readonly HashSet<string> Exported = ExportedFamilies();

    [Fact]
    public void Every_dashboard_query_references_exported_metrics()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Dashboards", "wasmkube-workloads.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .Concat(dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
                .Where(v => v.TryGetProperty("definition", out _)).Select(v => v.GetProperty("definition").GetString()!))
            .ToList();

        Assert.NotEmpty(queries);
        var referenced = queries.SelectMany(q => MetricName().Matches(q).Select(m => FamilyOf(m.Value))).ToHashSet();
        Assert.Empty(referenced.Except(Exported));
    }

    [Fact]
    public void The_metrics_reference_documents_every_exported_metric()
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Dashboards", "metrics.md"));

        Assert.All(Exported, name => Assert.Contains($"`{name}`", doc, StringComparison.Ordinal));
        var documented = MetricName().Matches(doc).Select(m => FamilyOf(m.Value)).ToHashSet();
        Assert.Empty(documented.Except(Exported));
    }

    private static HashSet<string> ExportedFamilies()
    {
        var records = new ContainerRecordReader(Path.Combine(Path.GetTempPath(), $"no-state-{Guid.NewGuid():N}"));
        var registry = new MetricRegistry();
        registry.Register(new WorkloadMetricsCollector(records, new CgroupStatsReader(WasmKube.Cgroups.CgroupHierarchy.Discover())));
        registry.Register(new EngineMetricsCollector(records));
        registry.Register(new ProcessCollector());
        _ = new ControllerMetrics(registry);
        return registry.Collect().Select(f => f.Name).ToHashSet();
    }

    private static string FamilyOf(string name) =>
        Exported.Contains(name) ? name : HistogramSuffix().Replace(name, "");

    [GeneratedRegex("\\b(wasmkube|controller_runtime|workqueue|process|dotnet_gc)_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
