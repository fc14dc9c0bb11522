using System.Net;

namespace WasmKube.Kube.Testing.Tests;

public sealed class FaultAndRequestLogTests : IAsyncLifetime
{
    TestApiServer _server = null!;
    ApiClient _api = null!;
    const string Path = "api/v1/namespaces/default/configmaps";

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _api = new ApiClient(_server);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task FailNext_fails_only_matching_requests_the_given_number_of_times()
    {
        _server.Faults.FailNext(2, 500, r => r.Verb == "create" && r.Resource == "configmaps");

        var reads = await _api.GetAsync(Path);
        var first = await _api.PostAsync(Path, Objects.ConfigMap("flaky"));
        var second = await _api.PostAsync(Path, Objects.ConfigMap("flaky"));
        var third = await _api.PostAsync(Path, Objects.ConfigMap("flaky"));

        Assert.Equal(HttpStatusCode.OK, reads.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.Equal("InternalError", first.Reason);
        Assert.Equal(HttpStatusCode.InternalServerError, second.Status);
        Assert.Equal(HttpStatusCode.Created, third.Status);
    }

    [Fact]
    public async Task Injected_429_carries_retry_after_and_conflicts_look_real()
    {
        await _api.PostAsync(Path, Objects.ConfigMap("throttled"));
        _server.Faults.FailNext(1, 429);
        var throttled = await _api.GetAsync($"{Path}/throttled");
        _server.Faults.FailNext(1, 409, r => r.Verb == "update");
        var current = (await _api.GetAsync($"{Path}/throttled")).Object;
        var conflict = await _api.PutAsync($"{Path}/throttled", current);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.Equal("TooManyRequests", throttled.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("Conflict", conflict.Reason);
    }

    [Fact]
    public async Task Request_log_counts_verbs_and_writes()
    {
        await _api.PostAsync(Path, Objects.ConfigMap("counted"));
        _server.Requests.Clear();

        await _api.GetAsync($"{Path}/counted");
        await _api.GetAsync(Path);
        await _api.PatchAsync($"{Path}/counted", """{"data":{"key":"2"}}""", "application/merge-patch+json");
        await _api.GetAsync("apis");

        Assert.Equal(3, _server.Requests.Count());
        Assert.Equal(1, _server.Requests.Writes);
        Assert.Equal(1, _server.Requests.Count("get", "configmaps"));
        Assert.Equal(1, _server.Requests.Count("list", "configmaps"));
        var patch = _server.Requests.Snapshot().Single(r => r.IsWrite);
        Assert.Equal(new ApiRequest("patch", "", "v1", "configmaps", null, "default", "counted"), patch);
    }

    [Fact]
    public async Task Pause_holds_requests_until_resume()
    {
        _server.Faults.Pause();
        var pending = _api.GetAsync(Path);
        var finishedWhilePaused = await Task.WhenAny(pending, Task.Delay(300)) == pending;
        _server.Faults.Resume();
        var response = await pending;

        Assert.False(finishedWhilePaused);
        Assert.Equal(HttpStatusCode.OK, response.Status);
    }
}
