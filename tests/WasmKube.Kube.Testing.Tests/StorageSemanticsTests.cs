using System.Net;
using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Tests;

public sealed class StorageSemanticsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    const string ConfigMaps = "api/v1/namespaces/default/configmaps";
    const string Workloads = "apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads";
    const string Deployments = "apis/apps/v1/namespaces/default/deployments";

    ApiClient Api => fixture.Client;

    [Fact]
    public async Task Create_assigns_uid_timestamp_and_increasing_resource_versions()
    {
        var first = await Api.PostAsync(ConfigMaps, Objects.ConfigMap("rv-a"));
        var second = await Api.PostAsync(ConfigMaps, Objects.ConfigMap("rv-b"));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.True(Guid.TryParse((string?)first.Body!["metadata"]!["uid"], out _));
        Assert.NotNull(first.Body["metadata"]!["creationTimestamp"]);
        Assert.True(long.Parse(second.ResourceVersion!) > long.Parse(first.ResourceVersion!));
        var list = await Api.GetAsync(ConfigMaps);
        Assert.True(long.Parse(list.ResourceVersion!) >= long.Parse(second.ResourceVersion!));
    }

    [Fact]
    public async Task Creating_an_existing_name_is_409_AlreadyExists()
    {
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("dup"));
        var again = await Api.PostAsync(ConfigMaps, Objects.ConfigMap("dup"));

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("Status", (string?)again.Body!["kind"]);
        Assert.Equal("AlreadyExists", again.Reason);
        Assert.Equal(409, (int?)again.Body["code"]);
        Assert.Equal("configmaps \"dup\" already exists", (string?)again.Body["message"]);
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_409_Conflict()
    {
        var created = (await Api.PostAsync(ConfigMaps, Objects.ConfigMap("occ", "1"))).Object;
        var first = created.DeepClone().AsObject();
        first["data"]!["key"] = "2";
        var updated = await Api.PutAsync($"{ConfigMaps}/occ", first);
        var stale = created.DeepClone().AsObject();
        stale["data"]!["key"] = "3";
        var rejected = await Api.PutAsync($"{ConfigMaps}/occ", stale);

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(HttpStatusCode.Conflict, rejected.Status);
        Assert.Equal("Conflict", rejected.Reason);
        Assert.Contains("the object has been modified", (string?)rejected.Body!["message"]);
        Assert.Equal("2", (string?)(await Api.GetAsync($"{ConfigMaps}/occ")).Body!["data"]!["key"]);
    }

    [Fact]
    public async Task A_no_op_update_keeps_the_resource_version()
    {
        var created = (await Api.PostAsync(ConfigMaps, Objects.ConfigMap("noop"))).Object;
        var same = await Api.PutAsync($"{ConfigMaps}/noop", created);

        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal((string?)created["metadata"]!["resourceVersion"], same.ResourceVersion);
    }

    [Fact]
    public async Task Generation_counts_spec_changes_only()
    {
        var created = await Api.PostAsync(Workloads, Objects.Workload("gen"));
        Assert.Equal(1, created.Generation);

        var labelled = await Api.PatchAsync($"{Workloads}/gen", """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json");
        var status = await Api.PatchAsync($"{Workloads}/gen/status", """{"status":{"replicas":1}}""", "application/merge-patch+json");
        var spec = await Api.PatchAsync($"{Workloads}/gen", """{"spec":{"replicas":4}}""", "application/merge-patch+json");

        Assert.Equal(1, labelled.Generation);
        Assert.NotEqual(created.ResourceVersion, labelled.ResourceVersion);
        Assert.Equal(1, status.Generation);
        Assert.Equal(2, spec.Generation);
    }

    [Fact]
    public async Task Status_subresource_is_separate_from_the_main_resource()
    {
        var created = (await Api.PostAsync(Workloads, Objects.Workload("stat"))).Object;
        var withStatus = (await Api.PatchAsync($"{Workloads}/stat/status", """{"status":{"readyReplicas":1},"spec":{"replicas":9}}""", "application/merge-patch+json")).Object;
        var mainWrite = withStatus.DeepClone().AsObject();
        mainWrite["status"] = new JsonObject { ["readyReplicas"] = 5 };
        mainWrite["spec"]!["image"] = "registry.example.com/other:2";
        var afterMain = (await Api.PutAsync($"{Workloads}/stat", mainWrite)).Object;

        Assert.Null(created["status"]);
        Assert.Equal(1, (int?)withStatus["spec"]!["replicas"]);
        Assert.Equal(1, (int?)withStatus["status"]!["readyReplicas"]);
        Assert.Equal(1, (int?)afterMain["status"]!["readyReplicas"]);
        Assert.Equal("registry.example.com/other:2", (string?)afterMain["spec"]!["image"]);
    }

    [Fact]
    public async Task Custom_resources_are_defaulted_pruned_and_validated_against_the_schema()
    {
        var workload = Objects.Workload("schema");
        ((JsonObject)workload["spec"]!).Remove("replicas");
        workload["spec"]!["unknownField"] = "dropped";
        var created = await Api.PostAsync(Workloads, workload);

        var bad = Objects.Workload("schema-bad", replicas: -1);
        ((JsonObject)bad["spec"]!).Remove("image");
        bad["spec"]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80, ["protocol"] = "SCTP" });
        var rejected = await Api.PostAsync(Workloads, bad);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(1, (int?)created.Body!["spec"]!["replicas"]);
        Assert.Null(created.Body["spec"]!["unknownField"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
        Assert.Equal("Invalid", rejected.Reason);
        var fields = ((JsonArray)rejected.Body!["details"]!["causes"]!).Select(c => (string?)c!["field"]).ToList();
        Assert.Contains("spec.image", fields);
        Assert.Contains("spec.replicas", fields);
        Assert.Contains("spec.ports[0].protocol", fields);
        Assert.Contains("should be greater than or equal to 0", (string?)rejected.Body["message"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{Workloads}/schema-bad")).Status);
    }

    [Fact]
    public async Task List_map_keys_must_be_unique_and_quantities_match_their_pattern()
    {
        var duplicate = Objects.Workload("dup-env");
        duplicate["spec"]!["env"] = new JsonArray(new JsonObject { ["name"] = "A" }, new JsonObject { ["name"] = "A", ["value"] = "2" });
        var quantity = Objects.Workload("quantity");
        quantity["spec"]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = 67108864 } };
        var badQuantity = Objects.Workload("bad-quantity");
        badQuantity["spec"]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "lots" } };

        var duplicateResponse = await Api.PostAsync(Workloads, duplicate);
        var quantityResponse = await Api.PostAsync(Workloads, quantity);
        var badQuantityResponse = await Api.PostAsync(Workloads, badQuantity);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicateResponse.Status);
        Assert.Equal("FieldValueDuplicate", (string?)duplicateResponse.Body!["details"]!["causes"]![0]!["reason"]);
        Assert.Equal("spec.env[1]", (string?)duplicateResponse.Body["details"]!["causes"]![0]!["field"]);
        Assert.Equal(HttpStatusCode.Created, quantityResponse.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badQuantityResponse.Status);
        Assert.Equal("spec.resources.limits.cpu", (string?)badQuantityResponse.Body!["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Unknown_fields_fail_strict_field_validation_and_warn_otherwise()
    {
        var workload = Objects.Workload("strict");
        workload["spec"]!["replicaz"] = 2;
        var strict = await Api.PostAsync($"{Workloads}?fieldValidation=Strict", workload);
        var warned = await Api.PostAsync(Workloads, workload);

        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Equal("WasmWorkload in version \"v1alpha1\" cannot be handled as a WasmWorkload: strict decoding error: unknown field \"spec.replicaz\"",
            (string?)strict.Body!["message"]);
        Assert.Equal(HttpStatusCode.Created, warned.Status);
        Assert.Contains("299 - \"unknown field \\\"spec.replicaz\\\"\"", warned.Headers.GetValues("Warning"));
    }

    [Fact]
    public async Task Custom_resource_updates_require_a_resource_version()
    {
        await Api.PostAsync(Workloads, Objects.Workload("unconditional"));
        var blind = await Api.PutAsync($"{Workloads}/unconditional", Objects.Workload("unconditional", replicas: 2));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, blind.Status);
        Assert.Contains("metadata.resourceVersion", (string?)blind.Body!["message"]);
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404()
    {
        var response = await Api.PostAsync("api/v1/namespaces/nowhere/configmaps", Objects.ConfigMap("x"));

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("namespaces \"nowhere\" not found", (string?)response.Body!["message"]);
    }

    [Fact]
    public async Task Deployments_get_server_defaults_and_an_empty_status()
    {
        var created = (await Api.PostAsync(Deployments, Objects.Deployment("defaults"))).Object;

        Assert.Equal(1, (int?)created["metadata"]!["generation"]);
        Assert.Equal(10, (int?)created["spec"]!["revisionHistoryLimit"]);
        Assert.Equal("RollingUpdate", (string?)created["spec"]!["strategy"]!["type"]);
        var container = created["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("IfNotPresent", (string?)container["imagePullPolicy"]);
        Assert.Equal("/dev/termination-log", (string?)container["terminationMessagePath"]);
        Assert.Equal(new JsonObject(), created["status"], JsonNode.DeepEquals);
    }

    [Fact]
    public async Task SetDeploymentReady_reports_the_observed_generation_and_ready_replicas()
    {
        await Api.PostAsync(Deployments, Objects.Deployment("ready", replicas: 3));
        fixture.Server.SetDeploymentReady("default", "ready", readyReplicas: 2);
        var partly = (await Api.GetAsync($"{Deployments}/ready")).Object;
        fixture.Server.SetDeploymentReady("default", "ready");
        var fully = (await Api.GetAsync($"{Deployments}/ready")).Object;

        Assert.Equal(1, (int?)partly["status"]!["observedGeneration"]);
        Assert.Equal(2, (int?)partly["status"]!["readyReplicas"]);
        Assert.Equal(1, (int?)partly["status"]!["unavailableReplicas"]);
        Assert.Equal(3, (int?)fully["status"]!["readyReplicas"]);
        var available = ((JsonArray)fully["status"]!["conditions"]!).Single(c => (string?)c!["type"] == "Available");
        Assert.Equal("True", (string?)available!["status"]);
    }

    [Fact]
    public async Task Scale_subresource_maps_replicas_for_custom_resources_and_deployments()
    {
        await Api.PostAsync(Workloads, Objects.Workload("scaled", replicas: 1));
        await Api.PatchAsync($"{Workloads}/scaled/status", """{"status":{"replicas":1,"selector":"app=scaled"}}""", "application/merge-patch+json");
        var scale = (await Api.GetAsync($"{Workloads}/scaled/scale")).Object;
        scale["spec"]!["replicas"] = 5;
        var put = await Api.PutAsync($"{Workloads}/scaled/scale", scale);
        var workload = (await Api.GetAsync($"{Workloads}/scaled")).Object;

        await Api.PostAsync(Deployments, Objects.Deployment("scaled-deploy", replicas: 1));
        var patched = await Api.PatchAsync($"{Deployments}/scaled-deploy/scale", """{"spec":{"replicas":3}}""", "application/merge-patch+json");
        var deployment = (await Api.GetAsync($"{Deployments}/scaled-deploy")).Object;

        Assert.Equal("Scale", (string?)scale["kind"]);
        Assert.Equal("autoscaling/v1", (string?)scale["apiVersion"]);
        Assert.Equal("app=scaled", (string?)scale["status"]!["selector"]);
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal(5, (int?)workload["spec"]!["replicas"]);
        Assert.Equal(2, (int?)workload["metadata"]!["generation"]);
        Assert.Equal(3, (int?)patched.Body!["spec"]!["replicas"]);
        Assert.Equal("app=scaled-deploy", (string?)patched.Body["status"]!["selector"]);
        Assert.Equal(3, (int?)deployment["spec"]!["replicas"]);
    }

    [Fact]
    public async Task Stale_scale_update_is_a_conflict()
    {
        await Api.PostAsync(Workloads, Objects.Workload("scale-occ"));
        var scale = (await Api.GetAsync($"{Workloads}/scale-occ/scale")).Object;
        await Api.PatchAsync($"{Workloads}/scale-occ", """{"spec":{"image":"x:2"}}""", "application/merge-patch+json");
        scale["spec"]!["replicas"] = 2;

        Assert.Equal(HttpStatusCode.Conflict, (await Api.PutAsync($"{Workloads}/scale-occ/scale", scale)).Status);
    }

    [Fact]
    public async Task Patch_content_types_behave_like_the_real_server()
    {
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("patches"));
        var merge = await Api.PatchAsync($"{ConfigMaps}/patches", """{"data":{"key":null,"other":"x"}}""", "application/merge-patch+json");
        var json = await Api.PatchAsync($"{ConfigMaps}/patches", """[{"op":"add","path":"/data/third","value":"y"},{"op":"test","path":"/data/other","value":"x"}]""", "application/json-patch+json");
        var failedTest = await Api.PatchAsync($"{ConfigMaps}/patches", """[{"op":"test","path":"/data/other","value":"nope"}]""", "application/json-patch+json");
        await Api.PostAsync(Workloads, Objects.Workload("smp"));
        var strategicOnCustom = await Api.PatchAsync($"{Workloads}/smp", """{"spec":{"replicas":2}}""", "application/strategic-merge-patch+json");
        var missing = await Api.PatchAsync($"{ConfigMaps}/absent", "{}", "application/merge-patch+json");

        Assert.Equal(new JsonObject { ["other"] = "x" }, merge.Body!["data"], JsonNode.DeepEquals);
        Assert.Equal("y", (string?)json.Body!["data"]!["third"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failedTest.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, strategicOnCustom.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        var deployment = Objects.Deployment("smp-deploy");
        ((JsonArray)deployment["spec"]!["template"]!["spec"]!["containers"]!).Add(new JsonObject { ["name"] = "sidecar", ["image"] = "side:1" });
        await Api.PostAsync(Deployments, deployment);
        var patched = await Api.PatchAsync($"{Deployments}/smp-deploy",
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"side:2"},{"name":"main","$patch":"delete"}]}}}}""",
            "application/strategic-merge-patch+json");

        var containers = (JsonArray)patched.Body!["spec"]!["template"]!["spec"]!["containers"]!;
        var only = Assert.Single(containers);
        Assert.Equal("sidecar", (string?)only!["name"]);
        Assert.Equal("side:2", (string?)only["image"]);
        Assert.Equal(2, patched.Generation);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_merges_and_drops_fields_the_manager_stopped_applying()
    {
        const string first = """
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: applied, labels: { team: a } }
            data: { one: "1", two: "2" }
            """;
        const string second = """
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: applied }
            data: { one: "1" }
            """;
        var noManager = await Api.PatchAsync($"{ConfigMaps}/applied", first, "application/apply-patch+yaml");
        var created = await Api.PatchAsync($"{ConfigMaps}/applied?fieldManager=test", first, "application/apply-patch+yaml");
        await Api.PatchAsync($"{ConfigMaps}/applied", """{"data":{"mine":"kept"}}""", "application/merge-patch+json");
        var reapplied = await Api.PatchAsync($"{ConfigMaps}/applied?fieldManager=test", second, "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.BadRequest, noManager.Status);
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("a", (string?)created.Body!["metadata"]!["labels"]!["team"]);
        var data = reapplied.Body!["data"]!.AsObject();
        Assert.Equal(["mine", "one"], data.Select(p => p.Key).Order());
        Assert.Null(reapplied.Body["metadata"]!["labels"]?["team"]);
    }

    [Fact]
    public async Task Dry_run_validates_without_storing()
    {
        var dry = await Api.PostAsync($"{ConfigMaps}?dryRun=All", Objects.ConfigMap("dry"));

        Assert.Equal(HttpStatusCode.Created, dry.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{ConfigMaps}/dry")).Status);
    }

    [Fact]
    public async Task List_filters_by_label_and_field_selectors_and_pages_with_continue()
    {
        foreach (var (name, tier) in new[] { ("sel-1", "web"), ("sel-2", "db"), ("sel-3", "web") })
        {
            await Api.PostAsync(ConfigMaps, Objects.ConfigMap(name, labels: new() { ["suite"] = "selectors", ["tier"] = tier }));
        }
        static List<string> Names(ApiClient.Response r) => ((JsonArray)r.Body!["items"]!).Select(i => (string)i!["metadata"]!["name"]!).ToList();

        var web = await Api.GetAsync($"{ConfigMaps}?labelSelector=suite%3Dselectors,tier%3Dweb");
        var notWeb = await Api.GetAsync($"{ConfigMaps}?labelSelector=suite%3Dselectors,tier%20notin%20(web)");
        var byName = await Api.GetAsync($"{ConfigMaps}?fieldSelector=metadata.name%3Dsel-2");
        var page1 = await Api.GetAsync($"{ConfigMaps}?labelSelector=suite%3Dselectors&limit=2");
        var token = (string?)page1.Body!["metadata"]!["continue"];
        var page2 = await Api.GetAsync($"{ConfigMaps}?labelSelector=suite%3Dselectors&limit=2&continue={Uri.EscapeDataString(token!)}");

        Assert.Equal(["sel-1", "sel-3"], Names(web));
        Assert.Equal(["sel-2"], Names(notWeb));
        Assert.Equal(["sel-2"], Names(byName));
        Assert.Equal(["sel-1", "sel-2"], Names(page1));
        Assert.Equal(1, (int?)page1.Body["metadata"]!["remainingItemCount"]);
        Assert.Equal(["sel-3"], Names(page2));
        Assert.Null(page2.Body!["metadata"]!["continue"]);
        Assert.Equal("ConfigMapList", (string?)web.Body!["kind"]);
    }

    [Fact]
    public async Task Field_selectors_on_custom_resources_are_limited_to_metadata()
    {
        var response = await Api.GetAsync($"{Workloads}?fieldSelector=spec.image%3Dx");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("field label not supported: spec.image", (string?)response.Body!["message"]);
    }

    [Fact]
    public async Task Requests_without_the_token_are_401()
    {
        using var anonymous = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        }) { BaseAddress = fixture.Server.BaseUrl };
        using var response = await anonymous.GetAsync("api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Built_in_validation_rejects_what_the_real_server_rejects()
    {
        var mismatched = Objects.Deployment("mismatch");
        mismatched["spec"]!["template"]!["metadata"]!["labels"] = new JsonObject { ["app"] = "other" };
        var noImage = Objects.Deployment("no-image");
        ((JsonObject)noImage["spec"]!["template"]!["spec"]!["containers"]![0]!).Remove("image");
        var created = (await Api.PostAsync(Deployments, Objects.Deployment("immutable"))).Object;
        var reselected = created.DeepClone().AsObject();
        reselected["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "new" } };
        reselected["spec"]!["template"]!["metadata"]!["labels"] = new JsonObject { ["app"] = "new" };
        var badPort = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "bad-port" },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 0 }) },
        };

        static string? Field(ApiClient.Response r) => (string?)r.Body!["details"]!["causes"]![0]!["field"];
        var mismatch = await Api.PostAsync(Deployments, mismatched);
        var missingImage = await Api.PostAsync(Deployments, noImage);
        var immutable = await Api.PutAsync($"{Deployments}/immutable", reselected);
        var port = await Api.PostAsync("api/v1/namespaces/default/services", badPort);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "spec.template.metadata.labels"), (mismatch.Status, Field(mismatch)));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "spec.template.spec.containers[0].image"), (missingImage.Status, Field(missingImage)));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "spec.selector"), (immutable.Status, Field(immutable)));
        Assert.Contains("field is immutable", (string?)immutable.Body!["message"]);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "spec.ports[0].port"), (port.Status, Field(port)));
    }

    [Fact]
    public async Task Server_side_apply_removes_list_entries_the_manager_dropped_and_keeps_others_labels()
    {
        const string first = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: ssa-deploy, labels: { owner: operator } }
            spec:
              selector: { matchLabels: { app: ssa } }
              template:
                metadata: { labels: { app: ssa } }
                spec:
                  containers:
                    - name: main
                      image: app:1
                      env: [{ name: A, value: "1" }, { name: B, value: "2" }]
                    - name: sidecar
                      image: side:1
            """;
        var second = first.Replace("""env: [{ name: A, value: "1" }, { name: B, value: "2" }]""", """env: [{ name: A, value: "1" }]""")
            .Replace("""
                    - name: sidecar
                      image: side:1
            """, "").Replace("labels: { owner: operator }", "labels: {}");
        const string path = Deployments + "/ssa-deploy?fieldManager=operator";
        await Api.PatchAsync(path, first, "application/apply-patch+yaml");
        await Api.PatchAsync($"{Deployments}/ssa-deploy", """{"metadata":{"labels":{"team":"x"}}}""", "application/merge-patch+json");
        var applied = await Api.PatchAsync(path, second, "application/apply-patch+yaml");

        var containers = (JsonArray)applied.Body!["spec"]!["template"]!["spec"]!["containers"]!;
        var main = Assert.Single(containers)!;
        Assert.Equal("main", (string?)main["name"]);
        Assert.Equal(["A"], ((JsonArray)main["env"]!).Select(e => (string?)e!["name"]));
        Assert.Equal(new JsonObject { ["team"] = "x" }, applied.Body["metadata"]!["labels"], JsonNode.DeepEquals);
    }
}
