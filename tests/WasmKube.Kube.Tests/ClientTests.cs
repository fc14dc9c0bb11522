using System.Net;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing;

namespace WasmKube.Kube.Tests;

public sealed class ClientTests : IAsyncLifetime
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

    private static V1ConfigMap Map(string name, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = "default", Labels = new Dictionary<string, string> { ["app"] = "test" } },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    [Fact]
    public async Task Create_get_list_replace_and_delete_round_trip_over_tls_with_a_token()
    {
        var created = await _client.CreateAsync(Map("one", "a"));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));

        var read = await _client.GetAsync<V1ConfigMap>("default", "one");
        Assert.Equal("a", read!.Data!["key"]);

        read.Data["key"] = "b";
        var replaced = await _client.ReplaceAsync(read);
        Assert.NotEqual(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);

        var list = await _client.ListAsync<V1ConfigMap>("default", new ListOptions { LabelSelector = "app=test" });
        Assert.Equal("b", Assert.Single(list.Items).Data!["key"]);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));

        Assert.True(await _client.DeleteAsync<V1ConfigMap>("default", "one"));
        Assert.Null(await _client.GetAsync<V1ConfigMap>("default", "one"));
        Assert.False(await _client.DeleteAsync<V1ConfigMap>("default", "one"));
    }

    [Fact]
    public async Task A_stale_resource_version_is_a_conflict_and_a_second_create_already_exists()
    {
        var created = await _client.CreateAsync(Map("stale", "a"));
        var first = await _client.GetAsync<V1ConfigMap>("default", "stale");
        first!.Data!["key"] = "b";
        await _client.ReplaceAsync(first);

        created.Data!["key"] = "c";
        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ReplaceAsync(created));
        Assert.True(conflict.IsConflict);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var exists = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(Map("stale", "d")));
        Assert.True(exists.IsAlreadyExists);
        Assert.False(exists.IsConflict);
    }

    [Fact]
    public async Task Merge_json_and_apply_patches_change_only_what_they_name()
    {
        await _client.CreateAsync(Map("patched", "a"));

        var merged = await _client.PatchAsync<V1ConfigMap>("default", "patched",
            new KubernetesPatch(PatchType.Merge, """{"data":{"extra":"x"}}"""));
        Assert.Equal("a", merged.Data!["key"]);
        Assert.Equal("x", merged.Data["extra"]);

        var jsonPatched = await _client.PatchAsync<V1ConfigMap>("default", "patched",
            new KubernetesPatch(PatchType.Json, """[{"op":"replace","path":"/data/key","value":"j"}]"""));
        Assert.Equal("j", jsonPatched.Data!["key"]);

        var applied = await _client.ApplyAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "patched", Namespace = "default" },
            Data = new Dictionary<string, string> { ["applied"] = "yes" },
        }, fieldManager: "tests");
        Assert.Equal("yes", applied.Data!["applied"]);
        Assert.Equal("x", applied.Data["extra"]);
    }

    [Fact]
    public async Task Status_subresource_writes_only_status()
    {
        var deployment = await _client.CreateAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                },
            },
        });
        Assert.Equal(1, deployment.Metadata.Generation);

        deployment.Status = new V1DeploymentStatus { ReadyReplicas = 2, ObservedGeneration = 1 };
        deployment.Spec!.Replicas = 5;
        var written = await _client.ReplaceStatusAsync(deployment);

        Assert.Equal(2, written.Status!.ReadyReplicas);
        Assert.Equal(2, written.Spec!.Replicas);
        Assert.Equal(1, written.Metadata.Generation);
    }

    [Fact]
    public async Task Transient_server_errors_and_throttling_are_retried()
    {
        await _client.CreateAsync(Map("retry", "a"));
        _server.Faults.FailNext(2, 503, r => r.Verb == "get");
        _server.Faults.FailNext(1, 429, r => r.Verb == "get");

        var read = await _client.GetAsync<V1ConfigMap>("default", "retry");

        Assert.Equal("a", read!.Data!["key"]);
        Assert.Equal(4, _server.Requests.Count("get", "configmaps"));
    }

    [Fact]
    public async Task Retries_stop_after_the_policy_allows_and_report_the_status()
    {
        using var impatient = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath), new RetryPolicy { MaxAttempts = 2 });
        _server.Faults.FailNext(5, 500);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => impatient.GetAsync<V1ConfigMap>("default", "any"));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(2, _server.Requests.Count("get", "configmaps"));
    }

    [Fact]
    public async Task Watch_from_a_version_sends_later_changes_and_bookmarks()
    {
        var start = await _client.ListAsync<V1ConfigMap>("default");
        await _client.CreateAsync(Map("watched", "a"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var seen = new List<WatchEvent<V1ConfigMap>>();
        await foreach (var change in _client.WatchAsync<V1ConfigMap>("default", new WatchOptions { ResourceVersion = start.Metadata.ResourceVersion }, cancel.Token))
        {
            seen.Add(change);
            if (change.Type == WatchEventType.Bookmark)
            {
                break;
            }
        }

        var added = Assert.Single(seen, e => e.Type == WatchEventType.Added);
        Assert.Equal("watched", added.Object!.Metadata.Name);
        Assert.False(string.IsNullOrEmpty(seen[^1].Object!.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_from_a_compacted_version_reports_410()
    {
        var start = await _client.ListAsync<V1ConfigMap>("default");
        await _client.CreateAsync(Map("gone", "a"));
        _server.Faults.CompactHistory();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        WatchEvent<V1ConfigMap>? first = null;
        try
        {
            await foreach (var change in _client.WatchAsync<V1ConfigMap>("default", new WatchOptions { ResourceVersion = start.Metadata.ResourceVersion }, cancel.Token))
            {
                first = change;
                break;
            }
            Assert.Equal(WatchEventType.Error, first!.Type);
            Assert.Equal(410, first.Error!.Code);
        }
        catch (KubernetesApiException e)
        {
            Assert.True(e.IsGone);
        }
    }
}
