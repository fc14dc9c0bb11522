using System.Globalization;
using System.Net;
using WasmKube.Contracts;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing;
using WasmKube.Operator.Controllers;

namespace WasmKube.Operator.Tests;

public sealed class ExampleAndProbeTests : IAsyncLifetime
{
    private ClusterUnderTest _cluster = null!;
    private RunningOperator _operator = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ClusterUnderTest.StartAsync();
        _operator = await _cluster.StartOperatorAsync();
    }

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task The_hello_example_passes_the_schema_and_gets_a_deployment_and_a_service()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "examples", "hello", "workload.yaml"))
            .Replace("namespace: default", $"namespace: {_cluster.Namespace}", StringComparison.Ordinal);
        if (_cluster.Server is { } server)
        {
            server.ApplyYaml(yaml);
        }
        else
        {
            var path = Path.Combine(Path.GetTempPath(), $"hello-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(path, yaml);
            try
            {
                await Kubectl.RunAsync(Kubectl.Find()!, _cluster.KubeconfigPath, "apply", "-f", path);
            }
            finally
            {
                File.Delete(path);
            }
        }

        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Service>(_cluster.Namespace, "hello") is not null, "Service hello exists");
        var deployment = (await _cluster.Client.GetAsync<V1Deployment>(_cluster.Namespace, "hello"))!;
        Assert.Equal("/docroot", Assert.Single(deployment.Spec!.Template.Spec!.Containers[0].VolumeMounts!).MountPath);
        Assert.Equal("32Mi", deployment.Spec.Template.Metadata!.Annotations![PodAnnotations.MaxMemory]);
        Assert.Equal(80, Assert.Single((await _cluster.Client.GetAsync<V1Service>(_cluster.Namespace, "hello"))!.Spec!.Ports!).Port);
    }

    [Fact]
    public async Task Probes_answer_once_the_caches_synced_and_metrics_count_reconciles()
    {
        using var http = new HttpClient { BaseAddress = _operator.ProbeAddress };
        await Eventually.WaitAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "/readyz turns OK");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);

        await _cluster.Client.CreateAsync(_cluster.Workload("counted"));
        await Eventually.WaitAsync(() => _operator.Reconciles > 0, "a reconcile is counted");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
        var metrics = await http.GetStringAsync(new Uri(_operator.MetricsAddress, "/metrics"));
        Assert.Contains("controller_runtime_reconcile_total{controller=\"wasmworkload\",result=\"success\"}", metrics, StringComparison.Ordinal);
        // The operator's own footprint, as the process collector names it: this test process's resident set.
        var resident = metrics.Split('\n').Single(line => line.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal));
        Assert.InRange(double.Parse(resident.Split(' ')[1], CultureInfo.InvariantCulture), 1e6, Environment.WorkingSet * 4.0);
        // Reconcile time is a histogram in controller-runtime's buckets (the last finite bound is 60 s), as its dashboards expect.
        Assert.Contains("# TYPE controller_runtime_reconcile_time_seconds histogram\n", metrics, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"wasmworkload\",le=\"60\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_max_concurrent_reconciles{controller=\"wasmworkload\"} ", metrics, StringComparison.Ordinal);
        Assert.Contains("workqueue_adds_total{name=\"wasmworkload\",controller=\"wasmworkload\"} ", metrics, StringComparison.Ordinal);
        var (code, lint) = await Promtool.CheckMetricsAsync(metrics);
        Assert.True(code == 0 && !lint.Contains("problem", StringComparison.OrdinalIgnoreCase), $"promtool check metrics: {lint}");
    }
}
