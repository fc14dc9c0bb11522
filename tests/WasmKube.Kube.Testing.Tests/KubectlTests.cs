using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Tests;

/// <summary>The real kubectl 1.32 against the fixture: proof that it talks like a real API server.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    TestApiServer _server = null!;
    Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _kubectl = new Kubectl(_server);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    static string Manifest(string name) => Path.Combine(AppContext.BaseDirectory, "Manifests", name);

    /// <summary>The headers kubectl prints for a CRD's additionalPrinterColumns of priority 0.</summary>
    static IEnumerable<string> PrinterColumnHeaders(string crdPath)
    {
        var crd = Yaml.YamlJson.ParseDocuments(File.ReadAllText(crdPath)).Single();
        var columns = (JsonArray)crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]!;
        return columns.Where(c => ((int?)c!["priority"] ?? 0) == 0).Select(c => ((string)c!["name"]!).ToUpperInvariant());
    }

    [Fact]
    public async Task Workload_lifecycle_apply_get_scale_update_delete()
    {
        (await _kubectl.RunAsync("apply", "-f", Objects.WasmWorkloadCrdPath())).Ok();
        (await _kubectl.RunAsync("wait", "--for=condition=Established", "crd/wasmworkloads.wasmkube.io", "--timeout=20s")).Ok();
        var created = (await _kubectl.RunAsync("apply", "-f", Manifest("hello.yaml"))).Ok();
        Assert.Contains("wasmworkload.wasmkube.io/hello created", created);

        // kubectl get ww: the CRD's printer columns (those of priority 0), served as a Table.
        var table = (await _kubectl.RunAsync("get", "ww")).Ok().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", .. PrinterColumnHeaders(Objects.WasmWorkloadCrdPath())], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("hello ", table[1]);
        Assert.Contains(" registry.example.com/hello-wasm:1.0 ", table[1]);

        var uid = (await _kubectl.RunAsync("get", "ww", "hello", "-o", "jsonpath={.metadata.uid}")).Ok();
        _server.ApplyYaml($$"""
            apiVersion: v1
            kind: Event
            metadata: { name: hello.created, namespace: default }
            involvedObject: { apiVersion: wasmkube.io/v1alpha1, kind: WasmWorkload, name: hello, namespace: default, uid: {{uid}} }
            type: Normal
            reason: DeploymentCreated
            message: created Deployment hello
            source: { component: wasmkube-operator }
            """);
        // describe finds events with a field selector on involvedObject fields.
        Assert.Contains("DeploymentCreated", (await _kubectl.RunAsync("describe", "ww", "hello")).Ok());

        var yaml = (await _kubectl.RunAsync("get", "ww", "hello", "-o", "yaml")).Ok();
        Assert.Contains("kind: WasmWorkload", yaml);
        Assert.Contains("generation: 1", yaml);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", yaml);

        Assert.Contains("scaled", (await _kubectl.RunAsync("scale", "ww", "hello", "--replicas=3")).Ok());
        var scaled = _server.GetObject("wasmkube.io/v1alpha1", "wasmworkloads", "default", "hello")!;
        Assert.Equal(3, (int?)scaled["spec"]!["replicas"]);
        Assert.Equal(2, (int?)scaled["metadata"]!["generation"]);
        Assert.Contains(_server.Requests.Snapshot(), r => r is { Verb: "patch", Subresource: "scale", Resource: "wasmworkloads" });

        var changed = File.ReadAllText(Manifest("hello.yaml")).Replace("value: hi", "value: hello").Replace("replicas: 2", "replicas: 4");
        Assert.Contains("configured", (await _kubectl.RunWithInputAsync(changed, "apply", "-f", "-")).Ok());
        var updated = _server.GetObject("wasmkube.io/v1alpha1", "wasmworkloads", "default", "hello")!;
        Assert.Equal("hello", (string?)updated["spec"]!["env"]![0]!["value"]);
        Assert.Equal(4, (int?)updated["spec"]!["replicas"]);
        Assert.Equal(3, (int?)updated["metadata"]!["generation"]);

        var invalid = changed.Replace("replicas: 4", "replicas: -1");
        var rejected = await _kubectl.RunWithInputAsync(invalid, "apply", "-f", "-");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("spec.replicas", rejected.Stderr);
    }

    [Fact]
    public async Task Deleting_a_workload_garbage_collects_its_deployment_and_service()
    {
        await _server.ApplyFileAsync(Objects.WasmWorkloadCrdPath());
        (await _kubectl.RunAsync("apply", "-f", Manifest("hello.yaml"))).Ok();
        var uid = (await _kubectl.RunAsync("get", "ww", "hello", "-o", "jsonpath={.metadata.uid}")).Ok();
        var owned = File.ReadAllText(Manifest("owned.yaml")).Replace("OWNER_UID", uid);
        (await _kubectl.RunWithInputAsync(owned, "apply", "-f", "-")).Ok();

        var listing = (await _kubectl.RunAsync("get", "deploy,svc")).Ok();
        Assert.Matches(@"deployment\.apps/hello\s+0/2\s+0\s+0\s", listing);
        Assert.Matches(@"service/hello\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s", listing);
        _server.SetDeploymentReady("default", "hello");
        Assert.Matches(@"hello\s+2/2\s+2\s+2\s", (await _kubectl.RunAsync("get", "deploy", "hello")).Ok());
        Assert.Contains("successfully rolled out", (await _kubectl.RunAsync("rollout", "status", "deployment/hello", "--timeout=20s")).Ok());
        (await _kubectl.RunAsync("wait", "--for=condition=Available", "deployment/hello", "--timeout=20s")).Ok();

        Assert.Contains("wasmworkload.wasmkube.io \"hello\" deleted", (await _kubectl.RunAsync("delete", "ww", "hello")).Ok());

        var after = await _kubectl.RunAsync("get", "deploy,svc,ww");
        Assert.Equal(0, after.ExitCode);
        Assert.DoesNotContain("hello", after.Stdout);
        Assert.Empty(_server.ListObjects("apps/v1", "deployments", "default"));
    }

    [Fact]
    public async Task Built_in_resources_apply_patch_scale_and_delete()
    {
        var owned = File.ReadAllText(Manifest("owned.yaml"));
        // Without the owner reference the objects stand alone.
        var standalone = string.Join('\n', owned.Split('\n').Where(l => !l.Contains("ownerReferences")));
        (await _kubectl.RunWithInputAsync(standalone, "apply", "-f", "-")).Ok();
        (await _kubectl.RunWithInputAsync(standalone.Replace("hello-wasm:1.0", "hello-wasm:2.0"), "apply", "-f", "-")).Ok();
        (await _kubectl.RunAsync("scale", "deployment", "hello", "--replicas=5")).Ok();
        (await _kubectl.RunAsync("patch", "deployment", "hello", "-p", """{"metadata":{"labels":{"patched":"yes"}}}""")).Ok();
        (await _kubectl.RunAsync("patch", "deployment", "hello", "--type=json", "-p", """[{"op":"add","path":"/metadata/annotations/x","value":"y"}]""")).Ok();

        var deployment = JsonNode.Parse((await _kubectl.RunAsync("get", "deploy", "hello", "-o", "json")).Ok())!;
        Assert.Equal("registry.example.com/hello-wasm:2.0", (string?)deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal(5, (int?)deployment["spec"]!["replicas"]);
        Assert.Equal("yes", (string?)deployment["metadata"]!["labels"]!["patched"]);
        Assert.Equal("y", (string?)deployment["metadata"]!["annotations"]!["x"]);
        Assert.Equal(3, (int?)deployment["metadata"]!["generation"]);

        (await _kubectl.RunAsync("delete", "deployment", "hello")).Ok();
        Assert.Null(_server.GetObject("apps/v1", "deployments", "default", "hello"));
        Assert.Contains("service/hello", (await _kubectl.RunAsync("get", "svc", "-o", "name")).Ok());
    }

    [Fact]
    public async Task Server_side_apply_and_namespaced_listing()
    {
        var manifest = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ssa
              namespace: kube-system
            data:
              a: "1"
            """;
        (await _kubectl.RunWithInputAsync(manifest, "apply", "--server-side", "-f", "-")).Ok();
        (await _kubectl.RunWithInputAsync(manifest.Replace("\"1\"", "\"2\""), "apply", "--server-side", "-f", "-")).Ok();

        Assert.Equal("2", (await _kubectl.RunAsync("get", "cm", "ssa", "-n", "kube-system", "-o", "jsonpath={.data.a}")).Ok());
        Assert.Matches(@"kube-system\s+ssa\s+1\s", (await _kubectl.RunAsync("get", "cm", "-A")).Ok());
        Assert.Matches(@"default\s+Active", (await _kubectl.RunAsync("get", "ns")).Ok());
    }

    [Fact]
    public async Task Foreground_cascade_and_wait_for_delete()
    {
        await _server.ApplyFileAsync(Objects.WasmWorkloadCrdPath());
        (await _kubectl.RunAsync("apply", "-f", Manifest("hello.yaml"))).Ok();
        var uid = (await _kubectl.RunAsync("get", "ww", "hello", "-o", "jsonpath={.metadata.uid}")).Ok();
        (await _kubectl.RunWithInputAsync(File.ReadAllText(Manifest("owned.yaml")).Replace("OWNER_UID", uid), "apply", "-f", "-")).Ok();

        (await _kubectl.RunAsync("delete", "ww", "hello", "--cascade=foreground", "--wait=true", "--timeout=20s")).Ok();

        Assert.Contains(_server.Requests.Snapshot(), r => r is { Verb: "delete", Resource: "wasmworkloads" });
        Assert.Null(_server.GetObject("wasmkube.io/v1alpha1", "wasmworkloads", "default", "hello"));
        Assert.Null(_server.GetObject("apps/v1", "deployments", "default", "hello"));
        Assert.Null(_server.GetObject("v1", "services", "default", "hello"));
    }

    [Fact]
    public async Task Plain_http_server_works_with_kubectl_which_sends_no_token_over_http()
    {
        await using var server = await TestApiServer.StartAsync(new TestApiServerOptions { UseHttps = false });
        using var kubectl = new Kubectl(server);

        var namespaces = (await kubectl.RunAsync("get", "ns", "-o", "name")).Ok();

        Assert.StartsWith("http://127.0.0.1:", server.BaseUrl.ToString());
        Assert.Contains("namespace/kube-system", namespaces);
    }

    [Fact]
    public async Task Kubectl_create_of_namespaces_config_maps_and_secrets_sends_protobuf_that_is_decoded()
    {
        (await _kubectl.RunAsync("create", "namespace", "made-by-create")).Ok();
        (await _kubectl.RunAsync("create", "configmap", "settings", "-n", "made-by-create", "--from-literal=greeting=hi")).Ok();
        (await _kubectl.RunAsync("create", "secret", "generic", "credentials", "-n", "made-by-create", "--from-literal=token=s3cr3t")).Ok();
        (await _kubectl.RunAsync("label", "configmap", "settings", "-n", "made-by-create", "tier=web")).Ok();
        var secret = _server.GetObject("v1", "secrets", "made-by-create", "credentials")!;
        Assert.Equal(Convert.ToBase64String("s3cr3t"u8), (string?)secret["data"]!["token"]);
        Assert.Equal("Opaque", (string?)secret["type"]);
        (await _kubectl.RunAsync("delete", "secret", "credentials", "-n", "made-by-create")).Ok();

        Assert.NotNull(_server.GetObject("v1", "namespaces", null, "made-by-create"));
        var configMap = _server.GetObject("v1", "configmaps", "made-by-create", "settings")!;
        Assert.Equal("hi", (string?)configMap["data"]!["greeting"]);
        Assert.Equal("web", (string?)configMap["metadata"]!["labels"]!["tier"]);
        Assert.Null(_server.GetObject("v1", "secrets", "made-by-create", "credentials"));
        // A kind the server does not decode from protobuf still gets a clear 415.
        var deployment = await _kubectl.RunAsync("create", "deployment", "web", "-n", "made-by-create", "--image=registry.example.com/web:1");
        Assert.NotEqual(0, deployment.ExitCode);
        Assert.Contains("vnd.kubernetes.protobuf", deployment.Stderr, StringComparison.Ordinal);
    }
}
