using System.Net;
using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Tests;

/// <summary>Registering, changing and removing a CRD changes what the server serves.</summary>
public sealed class CrdLifecycleTests : IAsyncLifetime
{
    TestApiServer _server = null!;
    ApiClient _api = null!;
    const string Crds = "apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    const string Workloads = "apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads";

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

    static JsonObject StandInCrd() =>
        Yaml.YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, Objects.CrdFile))).Single().AsObject();

    [Fact]
    public async Task Posting_a_crd_establishes_it_and_deleting_it_removes_its_resources()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("apis/wasmkube.io/v1alpha1")).Status);

        var created = await _api.PostAsync(Crds, StandInCrd());
        await _api.PostAsync(Workloads, Objects.Workload("short-lived"));
        var established = ((JsonArray)created.Body!["status"]!["conditions"]!).Single(c => (string?)c!["type"] == "Established")!;
        var servedWhileRegistered = await _api.GetAsync($"{Workloads}/short-lived");

        await _api.DeleteAsync($"{Crds}/wasmworkloads.wasmkube.io");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("True", (string?)established["status"]);
        Assert.Equal(HttpStatusCode.OK, servedWhileRegistered.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("apis/wasmkube.io/v1alpha1")).Status);
        Assert.DoesNotContain("wasmkube.io", (await _api.GetAsync("apis")).Body!["groups"]!.AsArray().Select(g => (string?)g!["name"]));
        await _api.PostAsync(Crds, StandInCrd());
        Assert.Empty((JsonArray)(await _api.GetAsync(Workloads)).Body!["items"]!);
    }

    [Fact]
    public async Task Updating_a_crd_updates_discovery_and_invalid_crds_are_rejected()
    {
        var created = (await _api.PostAsync(Crds, StandInCrd())).Object;
        created["spec"]!["names"]!["shortNames"] = new JsonArray("ww", "wasm");
        var updated = await _api.PutAsync($"{Crds}/wasmworkloads.wasmkube.io", created);
        var broken = StandInCrd();
        broken["metadata"]!["name"] = "wrong.wasmkube.io";
        var rejected = await _api.PostAsync(Crds, broken);

        var resources = await _api.GetAsync("apis/wasmkube.io/v1alpha1");
        var entry = ((JsonArray)resources.Body!["resources"]!).Single(r => (string?)r!["name"] == "wasmworkloads")!;
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(2, updated.Generation);
        Assert.Equal(["ww", "wasm"], ((JsonArray)entry["shortNames"]!).Select(n => (string?)n));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
        Assert.Equal("metadata.name", (string?)rejected.Body!["details"]!["causes"]![0]!["field"]);
    }
}
