using System.Net;
using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Tests;

public sealed class WatchTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    ApiClient Api => fixture.Client;

    static string Namespace(string name) => $"api/v1/namespaces/{name}/configmaps";

    /// <summary>Each test watches its own namespace so the tests of this class cannot see each other's events.</summary>
    async Task<string> NewNamespaceAsync(string name)
    {
        var created = await Api.PostAsync("api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return Namespace(name);
    }

    [Fact]
    public async Task Watch_streams_added_modified_and_deleted_in_order()
    {
        var path = await NewNamespaceAsync("watch-order");
        var list = await Api.GetAsync(path);
        using var watch = await Api.WatchAsync($"{path}?watch=true&resourceVersion={list.ResourceVersion}");

        var created = await Api.PostAsync(path, Objects.ConfigMap("w"));
        var modified = await Api.PatchAsync($"{path}/w", """{"data":{"key":"2"}}""", "application/merge-patch+json");
        await Api.DeleteAsync($"{path}/w");

        var added = await watch.NextChangeAsync();
        var changed = await watch.NextChangeAsync();
        var deleted = await watch.NextChangeAsync();
        Assert.Equal("ADDED", (string?)added!["type"]);
        Assert.Equal(created.ResourceVersion, (string?)added["object"]!["metadata"]!["resourceVersion"]);
        Assert.Equal("MODIFIED", (string?)changed!["type"]);
        Assert.Equal(modified.ResourceVersion, (string?)changed["object"]!["metadata"]!["resourceVersion"]);
        Assert.Equal("DELETED", (string?)deleted!["type"]);
        Assert.True(long.Parse((string)deleted["object"]!["metadata"]!["resourceVersion"]!) > long.Parse(modified.ResourceVersion!));
    }

    [Fact]
    public async Task Watch_without_resource_version_starts_with_the_current_state()
    {
        var path = await NewNamespaceAsync("watch-initial");
        await Api.PostAsync(path, Objects.ConfigMap("one"));
        await Api.PostAsync(path, Objects.ConfigMap("two"));
        using var watch = await Api.WatchAsync($"{path}?watch=true");

        var names = new[] { await watch.NextChangeAsync(), await watch.NextChangeAsync() }
            .Select(e => ((string?)e!["type"], (string?)e["object"]!["metadata"]!["name"])).ToList();
        Assert.Equal([("ADDED", "one"), ("ADDED", "two")], names);
    }

    [Fact]
    public async Task Streaming_list_ends_its_initial_events_with_an_annotated_bookmark()
    {
        var path = await NewNamespaceAsync("watch-list");
        var created = await Api.PostAsync(path, Objects.ConfigMap("streamed"));
        using var watch = await Api.WatchAsync($"{path}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");

        var added = await watch.NextAsync();
        var end = await watch.NextAsync();
        Assert.Equal(("ADDED", "streamed"), ((string?)added!["type"], (string?)added["object"]!["metadata"]!["name"]));
        Assert.Equal("BOOKMARK", (string?)end!["type"]);
        Assert.Equal("true", (string?)end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
        Assert.True(long.Parse((string)end["object"]!["metadata"]!["resourceVersion"]!) >= long.Parse(created.ResourceVersion!));
    }

    [Fact]
    public async Task Watch_resumes_from_a_resource_version_by_replaying_history()
    {
        var path = await NewNamespaceAsync("watch-resume");
        var first = await Api.PostAsync(path, Objects.ConfigMap("a"));
        await Api.PostAsync(path, Objects.ConfigMap("b"));
        await Api.PatchAsync($"{path}/a", """{"data":{"key":"9"}}""", "application/merge-patch+json");
        using var watch = await Api.WatchAsync($"{path}?watch=true&resourceVersion={first.ResourceVersion}");

        var replayed = new[] { await watch.NextChangeAsync(), await watch.NextChangeAsync() }
            .Select(e => ((string?)e!["type"], (string?)e["object"]!["metadata"]!["name"])).ToList();
        Assert.Equal([("ADDED", "b"), ("MODIFIED", "a")], replayed);
    }

    [Fact]
    public async Task Bookmarks_carry_the_current_resource_version_when_requested()
    {
        var path = await NewNamespaceAsync("watch-bookmarks");
        var created = await Api.PostAsync(path, Objects.ConfigMap("bm"));
        using var watch = await Api.WatchAsync($"{path}?watch=true&allowWatchBookmarks=true&resourceVersion={created.ResourceVersion}");

        var bookmark = await watch.NextAsync();
        Assert.Equal("BOOKMARK", (string?)bookmark!["type"]);
        Assert.Equal("ConfigMap", (string?)bookmark["object"]!["kind"]);
        Assert.True(long.Parse((string)bookmark["object"]!["metadata"]!["resourceVersion"]!) >= long.Parse(created.ResourceVersion!));
    }

    [Fact]
    public async Task Label_selector_transitions_become_added_and_deleted()
    {
        var path = await NewNamespaceAsync("watch-labels");
        var list = await Api.GetAsync(path);
        using var watch = await Api.WatchAsync($"{path}?watch=true&labelSelector=selected%3Dyes&resourceVersion={list.ResourceVersion}");

        await Api.PostAsync(path, Objects.ConfigMap("lbl"));
        await Api.PatchAsync($"{path}/lbl", """{"metadata":{"labels":{"selected":"yes"}}}""", "application/merge-patch+json");
        await Api.PatchAsync($"{path}/lbl", """{"metadata":{"labels":{"selected":"no"}}}""", "application/merge-patch+json");

        Assert.Equal("ADDED", (string?)(await watch.NextChangeAsync())!["type"]);
        Assert.Equal("DELETED", (string?)(await watch.NextChangeAsync())!["type"]);
    }

    [Fact]
    public async Task Timeout_seconds_ends_the_stream()
    {
        var path = await NewNamespaceAsync("watch-timeout");
        var list = await Api.GetAsync(path);
        using var watch = await Api.WatchAsync($"{path}?watch=true&timeoutSeconds=1&resourceVersion={list.ResourceVersion}");

        Assert.Null(await watch.NextChangeAsync());
    }

    [Fact]
    public async Task Watching_a_single_object_by_name_sees_only_that_object()
    {
        var path = await NewNamespaceAsync("watch-name");
        var list = await Api.GetAsync(path);
        using var watch = await Api.WatchAsync($"{path}?watch=true&fieldSelector=metadata.name%3Dtarget&resourceVersion={list.ResourceVersion}");

        await Api.PostAsync(path, Objects.ConfigMap("other"));
        await Api.PostAsync(path, Objects.ConfigMap("target"));

        Assert.Equal("target", (string?)(await watch.NextChangeAsync())!["object"]!["metadata"]!["name"]);
    }
}

/// <summary>Fault hooks get their own server: they act on every watch and request of it.</summary>
public sealed class WatchFaultTests : IAsyncLifetime
{
    TestApiServer _server = null!;
    ApiClient _api = null!;
    const string Path = "api/v1/namespaces/default/configmaps";

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(new TestApiServerOptions { EventHistoryLimit = 3 });
        _api = new ApiClient(_server);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_resource_version_older_than_the_history_gets_a_410_error_event()
    {
        var first = await _api.PostAsync(Path, Objects.ConfigMap("c0"));
        for (var i = 1; i <= 4; i++)
        {
            await _api.PostAsync(Path, Objects.ConfigMap($"c{i}"));
        }
        using var watch = await _api.WatchAsync($"{Path}?watch=true&resourceVersion={first.ResourceVersion}");

        var error = await watch.NextAsync();
        Assert.Equal("ERROR", (string?)error!["type"]);
        Assert.Equal(410, (int?)error["object"]!["code"]);
        Assert.Equal("Expired", (string?)error["object"]!["reason"]);
        Assert.StartsWith("too old resource version", (string?)error["object"]!["message"]);
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Compacting_the_history_expires_watches_from_older_versions_but_not_current_ones()
    {
        var created = await _api.PostAsync(Path, Objects.ConfigMap("compact"));
        await _api.PatchAsync($"{Path}/compact", """{"data":{"key":"2"}}""", "application/merge-patch+json");
        _server.Faults.CompactHistory();
        using var expired = await _api.WatchAsync($"{Path}?watch=true&resourceVersion={created.ResourceVersion}");
        using var current = await _api.WatchAsync($"{Path}?watch=true&resourceVersion={_server.ResourceVersion}");
        await _api.PatchAsync($"{Path}/compact", """{"data":{"key":"3"}}""", "application/merge-patch+json");

        Assert.Equal(410, (int?)(await expired.NextAsync())!["object"]!["code"]);
        Assert.Equal("MODIFIED", (string?)(await current.NextAsync())!["type"]);
    }

    [Fact]
    public async Task Dropping_watches_ends_open_streams()
    {
        var list = await _api.GetAsync(Path);
        using var watch = await _api.WatchAsync($"{Path}?watch=true&resourceVersion={list.ResourceVersion}");
        await _api.PostAsync(Path, Objects.ConfigMap("before-drop"));
        Assert.Equal("ADDED", (string?)(await watch.NextAsync())!["type"]);

        Assert.Equal(1, _server.Faults.DropWatches());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Dropping_watches_after_n_events_ends_them_after_exactly_n()
    {
        var list = await _api.GetAsync(Path);
        _server.Faults.DropWatchesAfter(2);
        using var watch = await _api.WatchAsync($"{Path}?watch=true&resourceVersion={list.ResourceVersion}");
        for (var i = 0; i < 3; i++)
        {
            await _api.PostAsync(Path, Objects.ConfigMap($"counted-{i}"));
        }

        Assert.NotNull(await watch.NextAsync());
        Assert.NotNull(await watch.NextAsync());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Aborting_watches_resets_the_connection()
    {
        var list = await _api.GetAsync(Path);
        using var watch = await _api.WatchAsync($"{Path}?watch=true&resourceVersion={list.ResourceVersion}");

        Assert.Equal(1, _server.Faults.DropWatches(abort: true));
        var error = await Record.ExceptionAsync(async () =>
        {
            while (await watch.NextAsync() is not null)
            {
            }
        });
        Assert.True(error is IOException or HttpRequestException, $"expected a broken connection, got {error?.GetType().Name ?? "a clean end of stream"}");
    }
}
