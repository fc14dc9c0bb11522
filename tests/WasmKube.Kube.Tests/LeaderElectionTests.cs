using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;
using WasmKube.Kube.Testing;

namespace WasmKube.Kube.Tests;

public sealed class LeaderElectionTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private LeaderElectionOptions Options(string identity) => new()
    {
        LeaseName = "op-leader",
        LeaseNamespace = "default",
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task Only_one_candidate_leads_and_a_released_lease_passes_to_the_other()
    {
        var a = new LeaderElector(_client, Options("a"));
        var b = new LeaderElector(_client, Options("b"));
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var leaders = 0;
        var maxLeaders = 0;
        var led = new List<string>();
        Func<CancellationToken, Task> Lead(string name) => async token =>
        {
            lock (led)
            {
                led.Add(name);
                maxLeaders = Math.Max(maxLeaders, ++leaders);
            }
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                lock (led)
                {
                    leaders--;
                }
            }
        };

        var runA = a.RunAsync(Lead("a"), stopA.Token);
        await WaitAsync(() => a.IsLeader);
        var runB = b.RunAsync(Lead("b"), stopB.Token);
        await Task.Delay(500);
        Assert.False(b.IsLeader);

        await stopA.CancelAsync();
        await runA; // a leader that is stopped releases the lease and returns
        await WaitAsync(() => b.IsLeader);

        var lease = (await _client.GetAsync<V1Lease>("default", "op-leader"))!;
        Assert.Equal("b", lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(["a", "b"], led);
        Assert.Equal(1, maxLeaders);
        await stopB.CancelAsync();
        try
        {
            await runB;
        }
        catch (OperationCanceledException)
        {
            // Stopped while leading.
        }
    }

    [Fact]
    public async Task A_lease_held_by_a_live_holder_is_not_taken()
    {
        await _client.CreateAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "op-leader", Namespace = "default" },
            Spec = new V1LeaseSpec { HolderIdentity = "other", LeaseDurationSeconds = 3600, RenewTime = DateTimeOffset.UtcNow },
        });
        var elector = new LeaderElector(_client, Options("me"));

        Assert.False(await elector.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.Equal("other", (await _client.GetAsync<V1Lease>("default", "op-leader"))!.Spec!.HolderIdentity);
    }

    [Fact]
    public async Task Server_errors_while_campaigning_delay_leadership_instead_of_ending_it()
    {
        _server.Faults.FailNext(40, 500, r => r.Resource == "leases");
        using var client = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath), RetryPolicy.None);
        var elector = new LeaderElector(client, Options("patient"));
        using var stop = new CancellationTokenSource();
        var led = new TaskCompletionSource();

        var run = elector.RunAsync(_ => { led.TrySetResult(); return Task.Delay(Timeout.Infinite, stop.Token); }, stop.Token);

        await led.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(_server.Requests.Count(r => r.Resource == "leases") > 40);
        await stop.CancelAsync();
        await run;
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
