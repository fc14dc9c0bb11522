using WasmKube.Kube.Testing;

namespace WasmKube.Helm.Tests;

/// <summary>
/// `helm install`, `helm upgrade` and `helm uninstall` with the real helm against the test API server. Helm keeps its
/// releases in Secrets written by client-go's typed client in protobuf, which the server decodes for Secrets. No
/// controllers run there, so the test plays the Job controller for the uninstall hook's waiter.
/// </summary>
public sealed class HelmReleaseTests : IAsyncLifetime
{
    private const string Ns = RenderedChart.Namespace;
    private TestApiServer _server = null!;
    private Tool _helm = null!;
    private Tool _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _helm = Tool.Helm(_server.KubeconfigPath);
        _kubectl = Tool.Kubectl(_server.KubeconfigPath);
    }

    public async Task DisposeAsync()
    {
        _helm.Dispose();
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Install_upgrade_and_uninstall_leave_the_cluster_as_the_values_say()
    {
        (await _kubectl.RunAsync("create", "namespace", Ns)).Ok();

        var install = (await _helm.RunAsync("install", RenderedChart.ReleaseName, RepositoryPaths.Chart, "--namespace", Ns)).Ok();

        Assert.Contains("STATUS: deployed", install, StringComparison.Ordinal);
        var chart = await RenderedChart.RenderAsync();
        foreach (var rendered in chart.Objects)
        {
            var stored = _server.GetObject((string)rendered["apiVersion"]!, KubectlApplyTests.Plurals[RenderedChart.Kind(rendered)], RenderedChart.NamespaceOf(rendered), RenderedChart.Name(rendered));
            // Hooks exist only while helm runs them.
            Assert.True(RenderedChart.IsHook(rendered) == stored is null, $"{RenderedChart.Kind(rendered)} {RenderedChart.Name(rendered)}: hook {RenderedChart.IsHook(rendered)}, stored {stored is not null}");
        }
        Assert.NotNull(_server.GetObject("v1", "secrets", Ns, "sh.helm.release.v1.wasmkube.v1"));

        var upgrade = (await _helm.RunAsync("upgrade", RenderedChart.ReleaseName, RepositoryPaths.Chart, "--namespace", Ns,
            "--set", "operator.replicas=3", "--set", "runtimeClass.create=false")).Ok();

        Assert.Contains("REVISION: 2", upgrade, StringComparison.Ordinal);
        Assert.Equal(3, (int?)_server.GetObject("apps/v1", "deployments", Ns, "wasmkube-operator")!["spec"]!["replicas"]);
        Assert.Null(_server.GetObject("node.k8s.io/v1", "runtimeclasses", null, "wasmkube"));
        Assert.Contains(_server.GetObject("rbac.authorization.k8s.io/v1", "clusterroles", null, "wasmkube-node-agent")!["rules"]!.AsArray(),
            r => r!["verbs"]!.AsArray().Any(v => (string?)v == "create"));

        var uninstall = _helm.RunAsync("uninstall", RenderedChart.ReleaseName, "--namespace", Ns, "--timeout", "60s");
        // The post-delete hook: once the release's objects are gone, a DaemonSet runs the agent's uninstall on every
        // node and a Job waits for it; here the test completes the Job as the Job controller would.
        await WaitAsync(() => _server.GetObject("batch/v1", "jobs", Ns, "wasmkube-uninstall-wait") is not null, "the uninstall hook's Job");
        Assert.Null(_server.GetObject("apps/v1", "daemonsets", Ns, "wasmkube-node-agent"));
        var hook = _server.GetObject("apps/v1", "daemonsets", Ns, "wasmkube-uninstall")!;
        Assert.Contains("--uninstall", hook["spec"]!["template"]!["spec"]!["initContainers"]![0]!["args"]!.AsArray().Select(a => (string?)a));
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        (await _kubectl.RunAsync("patch", "job/wasmkube-uninstall-wait", "-n", Ns, "--subresource=status", "--type=merge", "-p",
            $$$"""{"status":{"succeeded":1,"startTime":"{{{now}}}","completionTime":"{{{now}}}","conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}""")).Ok();
        var done = (await uninstall).Ok();

        Assert.Contains("release \"wasmkube\" uninstalled", done, StringComparison.Ordinal);
        // Everything is gone, hooks included, but the CRD (and so every WasmWorkload), which the chart keeps.
        foreach (var rendered in chart.Objects)
        {
            var stored = _server.GetObject((string)rendered["apiVersion"]!, KubectlApplyTests.Plurals[RenderedChart.Kind(rendered)], RenderedChart.NamespaceOf(rendered), RenderedChart.Name(rendered));
            Assert.True(RenderedChart.Kind(rendered) == "CustomResourceDefinition" == stored is not null, $"{RenderedChart.Kind(rendered)} {RenderedChart.Name(rendered)} after uninstall");
        }
        Assert.Empty(_server.ListObjects("v1", "secrets", Ns));
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }
        }
    }
}
