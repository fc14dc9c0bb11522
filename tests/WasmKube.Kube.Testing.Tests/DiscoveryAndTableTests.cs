using System.Net;
using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Tests;

public sealed class DiscoveryAndTableTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    ApiClient Api => fixture.Client;

    static JsonObject Entry(ApiClient.Response list, string name) =>
        ((JsonArray)list.Body!["resources"]!).Single(r => (string?)r!["name"] == name)!.AsObject();

    [Fact]
    public async Task Registered_crd_appears_in_discovery_with_subresources_and_names()
    {
        var groups = await Api.GetAsync("apis");
        var resources = await Api.GetAsync("apis/wasmkube.io/v1alpha1");

        var group = ((JsonArray)groups.Body!["groups"]!).Single(g => (string?)g!["name"] == "wasmkube.io")!;
        Assert.Equal("wasmkube.io/v1alpha1", (string?)group["preferredVersion"]!["groupVersion"]);
        var main = Entry(resources, "wasmworkloads");
        Assert.Equal("WasmWorkload", (string?)main["kind"]);
        Assert.True((bool?)main["namespaced"]);
        Assert.Equal(["ww"], ((JsonArray)main["shortNames"]!).Select(n => (string?)n));
        Assert.Contains("watch", ((JsonArray)main["verbs"]!).Select(n => (string?)n));
        Assert.Equal("Scale", (string?)Entry(resources, "wasmworkloads/scale")["kind"]);
        Assert.Equal("autoscaling", (string?)Entry(resources, "wasmworkloads/scale")["group"]);
        Assert.Equal("WasmWorkload", (string?)Entry(resources, "wasmworkloads/status")["kind"]);
    }

    [Fact]
    public async Task Built_in_discovery_lists_deployments_with_status_and_scale()
    {
        var core = await Api.GetAsync("api");
        var apps = await Api.GetAsync("apis/apps/v1");
        var coreResources = await Api.GetAsync("api/v1");

        Assert.Equal(["v1"], ((JsonArray)core.Body!["versions"]!).Select(v => (string?)v));
        Assert.Equal(["deploy"], ((JsonArray)Entry(apps, "deployments")["shortNames"]!).Select(n => (string?)n));
        Assert.Equal("Scale", (string?)Entry(apps, "deployments/scale")["kind"]);
        Assert.NotNull(Entry(apps, "deployments/status"));
        Assert.False((bool?)Entry(coreResources, "namespaces")["namespaced"]);
        Assert.Equal("1", (string?)(await Api.GetAsync("version")).Body!["major"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("apis/nothing.example.com/v1")).Status);
    }

    [Fact]
    public async Task OpenApi_v3_declares_field_validation_for_each_kind()
    {
        var index = await Api.GetAsync("openapi/v3");
        var url = (string?)index.Body!["paths"]!["apis/wasmkube.io/v1alpha1"]!["serverRelativeURL"];
        var document = await Api.GetAsync(url!);

        var patch = document.Body!["paths"]!.AsObject().Select(p => p.Value!["patch"]!).Single();
        Assert.Equal("WasmWorkload", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Contains("fieldValidation", ((JsonArray)patch["parameters"]!).Select(p => (string?)p!["name"]));
    }

    [Fact]
    public async Task Tables_use_the_crd_printer_columns()
    {
        await Api.PostAsync("apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads", Objects.Workload("tabled", replicas: 2));
        await Api.PatchAsync("apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads/tabled/status",
            """{"status":{"readyReplicas":2,"conditions":[{"type":"Ready","status":"True"}]}}""", "application/merge-patch+json");

        var table = await Api.GetAsync("apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads?fieldSelector=metadata.name%3Dtabled", TableAccept);

        Assert.Equal("Table", (string?)table.Body!["kind"]);
        Assert.Equal(["Name", "Image", "Desired", "Ready", "Status", "Age"],
            ((JsonArray)table.Body["columnDefinitions"]!).Select(c => (string?)c!["name"]));
        var cells = ((JsonArray)table.Body["rows"]![0]!["cells"]!).Select(c => c?.ToJsonString()).ToList();
        Assert.Equal(["\"tabled\"", "\"registry.example.com/hello-wasm:1.0\"", "2", "2", "\"True\""], cells.Take(5));
        Assert.Matches("^\"\\d+s\"$", cells[5]);
        Assert.Equal("PartialObjectMetadata", (string?)table.Body["rows"]![0]!["object"]!["kind"]);
    }

    [Fact]
    public async Task Tables_for_built_ins_have_their_usual_columns()
    {
        var table = await Api.GetAsync("api/v1/namespaces", TableAccept);

        Assert.Equal(["Name", "Status", "Age"], ((JsonArray)table.Body!["columnDefinitions"]!).Select(c => (string?)c!["name"]));
        var rows = ((JsonArray)table.Body["rows"]!).Select(r => ((string?)r!["cells"]![0], (string?)r["cells"]![1])).ToList();
        Assert.Contains(("kube-system", "Active"), rows);
    }

    [Fact]
    public async Task Table_watch_sends_one_row_per_event_as_kubectl_get_watch_expects()
    {
        var created = await Api.PostAsync("apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads", Objects.Workload("watched-table"));
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads?watch=true&fieldSelector=metadata.name%3Dwatched-table&resourceVersion={created.ResourceVersion}");
        request.Headers.TryAddWithoutValidation("Accept", TableAccept);
        using var response = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await Api.PatchAsync("apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads/watched-table", """{"spec":{"replicas":7}}""", "application/merge-patch+json");

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var e = JsonNode.Parse((await reader.ReadLineAsync(guard.Token))!)!;
        Assert.Equal("MODIFIED", (string?)e["type"]);
        Assert.Equal("Table", (string?)e["object"]!["kind"]);
        var row = Assert.Single((JsonArray)e["object"]!["rows"]!);
        Assert.Equal("watched-table", (string?)row!["cells"]![0]);
        Assert.Equal(7, (int?)row["cells"]![2]);
    }

    [Fact]
    public async Task Generate_name_and_delete_collection()
    {
        var generated = Objects.ConfigMap("");
        generated["metadata"] = new JsonObject { ["generateName"] = "gen-", ["labels"] = new JsonObject { ["batch"] = "1" } };
        var first = await Api.PostAsync("api/v1/namespaces/default/configmaps", generated);
        var second = await Api.PostAsync("api/v1/namespaces/default/configmaps", generated);
        var deleted = await Api.DeleteAsync("api/v1/namespaces/default/configmaps?labelSelector=batch%3D1");
        var remaining = await Api.GetAsync("api/v1/namespaces/default/configmaps?labelSelector=batch%3D1");

        Assert.Matches("^gen-[a-z0-9]{5}$", (string?)first.Body!["metadata"]!["name"]);
        Assert.NotEqual((string?)first.Body["metadata"]!["name"], (string?)second.Body!["metadata"]!["name"]);
        Assert.Equal("Success", (string?)deleted.Body!["status"]);
        Assert.Empty((JsonArray)remaining.Body!["items"]!);
    }
}
