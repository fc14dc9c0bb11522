using WasmKube.Kube.Models;

namespace WasmKube.Operator.Tests;

public sealed class LeaderElectionTests : IAsyncLifetime
{
    private ClusterUnderTest _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterUnderTest.StartAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task Of_two_elected_operators_one_reconciles_and_the_other_takes_over_when_it_stops()
    {
        var first = await _cluster.StartOperatorAsync(leaderElect: true);
        await Eventually.WaitAsync(async () => (await _cluster.Client.GetAsync<V1Lease>(_cluster.Namespace, "wasmkube-operator-leader"))?.Spec?.HolderIdentity is not null,
            "the first operator holds the lease");
        await using var second = await _cluster.StartOperatorAsync(leaderElect: true);

        await _cluster.Client.CreateAsync(_cluster.Workload("one"));
        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Deployment>(_cluster.Namespace, "one") is not null, "the leader creates the Deployment");
        await Eventually.WaitAsync(() => first.Reconciles > 0, "the leader counts its reconcile");
        Assert.Equal(0, second.Reconciles);

        await first.DisposeAsync(); // graceful: releases the lease
        await _cluster.Client.CreateAsync(_cluster.Workload("two"));
        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Deployment>(_cluster.Namespace, "two") is not null, "the new leader creates the Deployment");
        await Eventually.WaitAsync(() => second.Reconciles > 0, "the new leader counts its reconcile");
        var lease = (await _cluster.Client.GetAsync<V1Lease>(_cluster.Namespace, "wasmkube-operator-leader"))!;
        Assert.Equal(1, lease.Spec!.LeaseTransitions);
    }
}
