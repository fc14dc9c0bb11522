using System.Net;
using System.Text.Json.Nodes;

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

    [Fact]
    public async Task Requests_with_a_users_token_are_logged_with_that_user_and_other_tokens_are_refused()
    {
        await using var server = await TestApiServer.StartAsync(new TestApiServerOptions
        {
            Users = new Dictionary<string, string> { ["operator-token"] = "system:serviceaccount:ops:operator" },
        });
        using var admin = new ApiClient(server);
        using var user = new ApiClient(server);
        user.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "operator-token");
        using var stranger = new ApiClient(server);
        stranger.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "someone-else");

        await admin.PostAsync(Path, Objects.ConfigMap("by-admin"));
        await user.GetAsync($"{Path}/by-admin");
        var refused = await stranger.GetAsync(Path);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        var requests = server.Requests.Snapshot();
        Assert.Null(Assert.Single(requests, r => r.Verb == "create").User);
        Assert.Equal("system:serviceaccount:ops:operator", Assert.Single(requests, r => r.Verb == "get").User);
        Assert.DoesNotContain(requests, r => r.Verb == "list");
        // The user's kubeconfig authenticates as that user (its file name holds no colon, which KUBECONFIG splits on).
        var kubeconfig = server.KubeconfigFor("system:serviceaccount:ops:operator");
        Assert.DoesNotContain(':', System.IO.Path.GetFileName(kubeconfig));
        Assert.Contains("token: operator-token", await File.ReadAllTextAsync(kubeconfig), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => server.KubeconfigFor("nobody"));
    }

    [Fact]
    public async Task Jobs_and_pod_disruption_budgets_are_served_with_status()
    {
        var job = await _api.PostAsync("apis/batch/v1/namespaces/default/jobs", JsonNode.Parse("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"once"},
             "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]}}}}
            """)!);
        var complete = await _api.PatchAsync("apis/batch/v1/namespaces/default/jobs/once/status",
            """{"status":{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}}""", "application/merge-patch+json");
        var budget = await _api.PostAsync("apis/policy/v1/namespaces/default/poddisruptionbudgets", JsonNode.Parse("""
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"keep-one"},
             "spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"x"}}}}
            """)!);

        Assert.Equal(HttpStatusCode.Created, job.Status);
        Assert.Equal(HttpStatusCode.OK, complete.Status);
        Assert.Equal(1, (int?)complete.Object["status"]!["succeeded"]);
        Assert.Equal(1, complete.Generation);
        Assert.Equal(HttpStatusCode.Created, budget.Status);
        Assert.Equal(1, (int?)budget.Object["spec"]!["minAvailable"]);
    }
}
