using System.Collections.Concurrent;
using System.Globalization;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Controllers;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing;
using WasmKube.Prometheus;

namespace WasmKube.Kube.Tests;

/// <summary>The reconcile and work-queue metrics, read back from the exposition as a scraper sees them.</summary>
public sealed class ControllerMetricsTests : IAsyncLifetime
{
    private readonly MetricRegistry _registry = new();
    private readonly CancellationTokenSource _stop = new();
    private TestApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(new TestApiServerOptions());
        _client = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task The_queue_counts_adds_depth_waits_work_and_retries_as_client_go_does()
    {
        var metrics = new ControllerMetrics(_registry);
        var clock = new ManualTimeProvider();
        using var queue = new RateLimitingQueue<string>(timeProvider: clock, metrics: metrics.ForQueue("things"));

        queue.Add("a");
        queue.Add("a"); // folded into the waiting key: not an add
        queue.Add("b");
        Assert.Equal(2, Sample("workqueue_adds_total{name=\"things\",controller=\"things\"}"));
        Assert.Equal(2, Sample("workqueue_depth{name=\"things\",controller=\"things\"}"));

        clock.Advance(TimeSpan.FromSeconds(2));
        var item = await queue.GetAsync(CancellationToken.None);
        Assert.Equal(1, Sample("workqueue_depth{name=\"things\",controller=\"things\"}"));
        // Waited 2 s: above the 1 s bound, within the 10 s one.
        Assert.Equal(0, Sample("workqueue_queue_duration_seconds_bucket{name=\"things\",controller=\"things\",le=\"1\"}"));
        Assert.Equal(1, Sample("workqueue_queue_duration_seconds_bucket{name=\"things\",controller=\"things\",le=\"10\"}"));
        Assert.Equal(2, Sample("workqueue_queue_duration_seconds_sum{name=\"things\",controller=\"things\"}"));

        clock.Advance(TimeSpan.FromMilliseconds(50));
        queue.Done(item);
        Assert.Equal(0, Sample("workqueue_work_duration_seconds_bucket{name=\"things\",controller=\"things\",le=\"0.01\"}"));
        Assert.Equal(1, Sample("workqueue_work_duration_seconds_bucket{name=\"things\",controller=\"things\",le=\"0.1\"}"));
        Assert.Equal(1, Sample("workqueue_work_duration_seconds_count{name=\"things\",controller=\"things\"}"));

        queue.AddRateLimited("a");
        queue.AddAfter("c", TimeSpan.FromHours(1));
        Assert.Equal(2, Sample("workqueue_retries_total{name=\"things\",controller=\"things\"}"));
    }

    [Fact]
    public async Task Every_reconcile_is_counted_by_result_and_timed_in_controller_runtimes_buckets()
    {
        var metrics = new ControllerMetrics(_registry);
        var cache = new InformerCache(_client, "default");
        var reconciler = new ScriptedReconciler();
        using var controller = new Controller<V1ConfigMap>("configmap", cache, reconciler, new ControllerOptions { MaxConcurrentReconciles = 3 }, metrics: metrics);
        // Before anything ran, every result reads 0 and the worker count is known.
        Assert.Equal(0, Sample("controller_runtime_reconcile_total{controller=\"configmap\",result=\"error\"}"));
        Assert.Equal(3, Sample("controller_runtime_max_concurrent_reconciles{controller=\"configmap\"}"));

        var running = Task.WhenAll(cache.RunAsync(_stop.Token), controller.RunAsync(_stop.Token));
        foreach (var name in new[] { "ok", "fail", "later", "again" })
        {
            await _client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Namespace = "default" } });
        }
        await WaitAsync(() => reconciler.Calls.GetValueOrDefault("again") >= 2 && reconciler.Calls.GetValueOrDefault("fail") >= 1
            && reconciler.Calls.ContainsKey("ok") && reconciler.Calls.ContainsKey("later"));
        // Reconcile ends are counted just after the reconciler returns.
        await WaitAsync(() => Sample("controller_runtime_active_workers{controller=\"configmap\"}") == 0
            && Sample("controller_runtime_reconcile_total{controller=\"configmap\",result=\"requeue\"}") >= 1
            && Sample("controller_runtime_reconcile_total{controller=\"configmap\",result=\"success\"}") >= 2);

        Assert.Equal(1, Sample("controller_runtime_reconcile_total{controller=\"configmap\",result=\"requeue_after\"}"));
        var errors = Sample("controller_runtime_reconcile_errors_total{controller=\"configmap\"}");
        Assert.True(errors >= 1);
        Assert.Equal(errors, Sample("controller_runtime_reconcile_total{controller=\"configmap\",result=\"error\"}"));
        var total = ReconcileOutcome.All.Sum(result => Sample($"controller_runtime_reconcile_total{{controller=\"configmap\",result=\"{result}\"}}"));
        Assert.Equal(total, Sample("controller_runtime_reconcile_time_seconds_count{controller=\"configmap\"}"));
        Assert.Equal(total, Sample("controller_runtime_reconcile_time_seconds_bucket{controller=\"configmap\",le=\"+Inf\"}"));
        Assert.Equal(ControllerMetrics.ReconcileTimeBuckets.Count + 1, Lines().Count(l => l.StartsWith("controller_runtime_reconcile_time_seconds_bucket{controller=\"configmap\",", StringComparison.Ordinal)));
        Assert.Contains("# TYPE controller_runtime_reconcile_time_seconds histogram", Lines());
        Assert.True(Sample("workqueue_adds_total{name=\"configmap\",controller=\"configmap\"}") >= 4);

        await _stop.CancelAsync();
        await running;
    }

    private double Sample(string series)
    {
        var prefix = series + " ";
        var line = Lines().SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no sample {series} in:\n{TextFormat.Write(_registry.Collect())}");
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    private string[] Lines() => TextFormat.Write(_registry.Collect()).Split('\n');

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>Answers by object name: ok succeeds, fail throws once, later polls in an hour, again asks once for a requeue.</summary>
    private sealed class ScriptedReconciler : IReconciler
    {
        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
        {
            var call = Calls.AddOrUpdate(request.Name, 1, (_, n) => n + 1);
            return request.Name switch
            {
                "fail" when call == 1 => throw new InvalidOperationException("the first attempt fails"),
                "later" => Task.FromResult(ReconcileResult.After(TimeSpan.FromHours(1))),
                "again" when call == 1 => Task.FromResult(new ReconcileResult(Requeue: true)),
                _ => Task.FromResult(ReconcileResult.Done),
            };
        }
    }
}
