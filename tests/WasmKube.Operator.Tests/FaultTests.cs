using WasmKube.Kube.Client;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing;
using WasmKube.Operator.Controllers;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Tests;

/// <summary>Convergence under faults the test API server injects (they need its hooks, so these never run against a real cluster).</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private const int Workloads = 40;
    private ClusterUnderTest _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await ClusterUnderTest.StartAsync(new TestApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    private TestApiServer Server => _cluster.Server!;

    [TestServerFact]
    public async Task Watches_dropped_again_and_again_mid_stream_lose_and_duplicate_no_work()
    {
        await using var running = await _cluster.StartOperatorAsync();
        using var chaos = new CancellationTokenSource();
        var dropper = Task.Run(async () =>
        {
            var abort = false;
            while (!chaos.IsCancellationRequested)
            {
                Server.Faults.DropWatches(abort = !abort);
                await Task.Delay(30);
            }
        });

        await CreateWorkloadsAsync();
        await WaitUntilAllConvergedAsync();
        await chaos.CancelAsync();
        await dropper;

        await AssertEachWorkloadHasExactlyItsChildrenAsync();
    }

    [TestServerFact]
    public async Task A_compacted_history_forces_a_relist_that_still_converges()
    {
        await using var running = await _cluster.StartOperatorAsync();
        await CreateWorkloadsAsync(count: 10);
        Server.Faults.CompactHistory();
        Server.Faults.DropWatches();
        await CreateWorkloadsAsync(first: 10, count: 10);

        await WaitUntilAllConvergedAsync(count: 20);
        await AssertEachWorkloadHasExactlyItsChildrenAsync(count: 20);
    }

    [TestServerFact]
    public async Task An_operator_killed_mid_reconcile_and_restarted_converges()
    {
        var first = await _cluster.StartOperatorAsync();
        await CreateWorkloadsAsync();
        // Kill as soon as some (not all) of the work is done.
        await Eventually.WaitAsync(() => Server.Requests.Count("create", "deployments") >= 5, "the first operator starts creating");
        await first.KillAsync();

        await using var second = await _cluster.StartOperatorAsync();
        await WaitUntilAllConvergedAsync();
        // A kill between creating a Deployment and recording its Event loses that Event, never duplicates it.
        await AssertEachWorkloadHasExactlyItsChildrenAsync(eventsMayBeLost: true);
    }

    [TestServerFact]
    public async Task Storms_of_conflicts_and_server_errors_converge()
    {
        Server.Faults.FailNext(60, 409, r => r.IsWrite && r.Resource is "deployments" or "services" or "wasmworkloads");
        Server.Faults.FailNext(30, 500, r => r.IsWrite);
        Server.Faults.FailNext(30, 429);
        await using var running = await _cluster.StartOperatorAsync();

        await CreateWorkloadsAsync();
        await WaitUntilAllConvergedAsync();
        await AssertEachWorkloadHasExactlyItsChildrenAsync();
    }

    private async Task CreateWorkloadsAsync(int first = 0, int count = Workloads)
    {
        // Created through storage directly, so the client's own fault handling is not what is under test here.
        for (var i = first; i < first + count; i++)
        {
            Server.ApplyYaml($"""
                apiVersion: wasmkube.io/v1alpha1
                kind: WasmWorkload
                metadata: {"{"} name: w{i}, namespace: {_cluster.Namespace} {"}"}
                spec:
                  image: {ClusterUnderTest.Image}
                  replicas: {1 + (i % 3)}
                  ports: [{"{"} name: http, containerPort: 8080 {"}"}]
                """);
        }
    }

    /// <summary>Converged: every workload has its Deployment and Service, and a Ready status once its Deployment is ready.</summary>
    private async Task WaitUntilAllConvergedAsync(int count = Workloads)
    {
        await Eventually.WaitAsync(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var deployment = Server.GetObject("apps/v1", "deployments", _cluster.Namespace, $"w{i}");
                if (deployment is null || Server.GetObject("v1", "services", _cluster.Namespace, $"w{i}") is null)
                {
                    return false;
                }
                if (deployment["status"]?["observedGeneration"] is null)
                {
                    Server.SetDeploymentReady(_cluster.Namespace, $"w{i}");
                }
                var workload = Server.GetObject("wasmkube.io/v1alpha1", "wasmworkloads", _cluster.Namespace, $"w{i}");
                var ready = workload?["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == ConditionTypes.Ready);
                if ((string?)ready?["status"] != "True")
                {
                    return false;
                }
            }
            return true;
        }, $"all {count} workloads converge", TimeSpan.FromMinutes(2));
    }

    private async Task AssertEachWorkloadHasExactlyItsChildrenAsync(int count = Workloads, bool eventsMayBeLost = false)
    {
        var deployments = await _cluster.Client.ListAsync<V1Deployment>(_cluster.Namespace);
        var services = await _cluster.Client.ListAsync<V1Service>(_cluster.Namespace);
        var workloads = await _cluster.Client.ListAsync<V1alpha1WasmWorkload>(_cluster.Namespace);
        Assert.Equal(count, deployments.Items.Count);
        Assert.Equal(count, services.Items.Count);
        foreach (var workload in workloads.Items)
        {
            var deployment = Assert.Single(deployments.Items, d => d.Metadata.Name == workload.Metadata.Name);
            Assert.Equal(workload.Metadata.Uid, Assert.Single(deployment.Metadata.OwnerReferences!).Uid);
            Assert.Equal(workload.Spec.Replicas, deployment.Spec!.Replicas);
            Assert.Equal(workload.Spec.Replicas, workload.Status!.ReadyReplicas);
        }
        // Work done once: one CreatedDeployment event per workload even when creates were retried or raced.
        var events = await _cluster.Client.ListAsync<Corev1Event>(_cluster.Namespace);
        var created = events.Items.Where(e => e.Reason == "CreatedDeployment").ToList();
        Assert.Equal(created.Count, created.Select(e => e.InvolvedObject.Name).Distinct().Count());
        Assert.All(created, e => Assert.Equal(1, e.Count));
        if (!eventsMayBeLost)
        {
            Assert.Equal(count, created.Count);
        }
    }
}
