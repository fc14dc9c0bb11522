using System.Collections.Concurrent;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;
using WasmKube.Kube.Testing;

namespace WasmKube.Kube.Tests;

public sealed class InformerTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private KubernetesClient _client = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(new TestApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        _client = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    private Task CreateAsync(string name, string value = "v") => _client.CreateAsync(new V1ConfigMap
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = "default" },
        Data = new Dictionary<string, string> { ["k"] = value },
    });

    private (Informer<V1ConfigMap> Informer, Task Running, ConcurrentQueue<InformerEvent<V1ConfigMap>> Events) Start()
    {
        var informer = new Informer<V1ConfigMap>(_client, "default");
        var events = new ConcurrentQueue<InformerEvent<V1ConfigMap>>();
        informer.Subscribe(events.Enqueue);
        return (informer, Task.Run(() => informer.RunAsync(_stop.Token)), events);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(what);
            }
        }
    }

    [Fact]
    public async Task A_metadata_only_informer_follows_objects_without_their_contents()
    {
        await CreateAsync("before");
        var informer = new Informer<V1ConfigMapMetadata>(_client, "default");
        var events = new ConcurrentQueue<InformerEvent<V1ConfigMapMetadata>>();
        informer.Subscribe(events.Enqueue);
        _ = Task.Run(() => informer.RunAsync(_stop.Token));
        await informer.WaitForSyncAsync(_stop.Token);

        await CreateAsync("after");
        await _client.DeleteAsync<V1ConfigMap>("default", "before");
        await WaitAsync(() => events.Count == 3, "before listed, after added, before deleted");

        // The list and the watch both answered with PartialObjectMetadata: names and versions, no data.
        Assert.Equal(["before", "after", "before"], events.Select(e => e.Object.Metadata.Name));
        Assert.Equal([InformerEventType.Added, InformerEventType.Added, InformerEventType.Deleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("PartialObjectMetadata", e.Object.Kind));
        Assert.NotNull(informer.Get("default", "after")!.Metadata.ResourceVersion);
        Assert.Null(informer.Get("default", "before"));
        Assert.Equal("PartialObjectMetadata", (await _client.GetAsync<V1ConfigMapMetadata>("default", "after"))!.Kind);
    }

    [Fact]
    public async Task The_cache_lists_then_follows_adds_updates_and_deletes()
    {
        await CreateAsync("before");
        var (informer, _, events) = Start();
        await informer.WaitForSyncAsync(_stop.Token);
        Assert.NotNull(informer.Get("default", "before"));

        await CreateAsync("after");
        var map = (await _client.GetAsync<V1ConfigMap>("default", "before"))!;
        map.Data!["k"] = "changed";
        await _client.ReplaceAsync(map);
        await _client.DeleteAsync<V1ConfigMap>("default", "after");

        await WaitAsync(() => events.Count(e => e.Object.Metadata.Name == "after") == 2, "after added and deleted");
        await WaitAsync(() => informer.Get("default", "before")?.Data?["k"] == "changed", "before updated");
        Assert.Null(informer.Get("default", "after"));
        var updated = Assert.Single(events, e => e.Type == InformerEventType.Updated);
        Assert.Equal("v", updated.OldObject!.Data!["k"]);
    }

    [Fact]
    public async Task Dropped_watches_resume_from_the_last_version_without_relisting_or_repeating_events()
    {
        var (informer, _, events) = Start();
        await informer.WaitForSyncAsync(_stop.Token);

        for (var i = 0; i < 20; i++)
        {
            await CreateAsync($"m{i}");
            _server.Faults.DropWatches(abort: i % 2 == 0);
        }

        await WaitAsync(() => informer.List().Count == 20, "all 20 maps cached");
        Assert.Equal(1, informer.ListCount);
        Assert.Equal(20, events.Count(e => e.Type == InformerEventType.Added));
    }

    [Fact]
    public async Task A_410_relists_and_reports_deletions_missed_meanwhile()
    {
        await CreateAsync("stays");
        await CreateAsync("goes");
        var (informer, _, events) = Start();
        await informer.WaitForSyncAsync(_stop.Token);

        // Keep the informer from watching while the object is deleted and the history forgotten: only a relist can tell.
        _server.Faults.FailNext(10_000, 503, r => r.Verb == "watch");
        _server.Faults.DropWatches();
        await _client.DeleteAsync<V1ConfigMap>("default", "goes");
        _server.Faults.CompactHistory();
        _server.Faults.Reset();

        await WaitAsync(() => informer.Get("default", "goes") is null, "the deletion is seen");
        Assert.NotNull(informer.Get("default", "stays"));
        Assert.Single(events, e => e.Type == InformerEventType.Deleted && e.Object.Metadata.Name == "goes");
        Assert.True(informer.ListCount >= 2, $"expected a relist after 410, listed {informer.ListCount} times");
    }

    [Fact]
    public async Task A_controller_reconciles_the_owner_when_an_owned_object_changes()
    {
        var parent = await _client.CreateAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "parent", Namespace = "default" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "p" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "p" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                },
            },
        });
        var cache = new InformerCache(_client, "default");
        var reconciler = new RecordingReconciler();
        using var controller = new Controller<V1Deployment>("test", cache, reconciler).Owns<V1ConfigMap>();
        var running = Task.WhenAll(cache.RunAsync(_stop.Token), controller.RunAsync(_stop.Token));
        var owner = new ReconcileRequest("default", "parent");
        await WaitAsync(() => reconciler.Requests.Contains(owner), "the owner is reconciled for its own creation");
        var before = reconciler.Requests.Count(r => r == owner);

        await _client.CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "child",
                Namespace = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "parent", Uid = parent.Metadata.Uid!, Controller = true }],
            },
        });

        await WaitAsync(() => reconciler.Requests.Count(r => r == owner) > before, "the owner is reconciled again for its child");
        Assert.DoesNotContain(new ReconcileRequest("default", "child"), reconciler.Requests);
    }

    private sealed class RecordingReconciler : IReconciler
    {
        public ConcurrentBag<ReconcileRequest> Requests { get; } = [];

        public Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(ReconcileResult.Done);
        }
    }
}
