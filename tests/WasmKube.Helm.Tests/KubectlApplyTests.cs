using System.Text.Json.Nodes;
using WasmKube.Kube.Testing;

namespace WasmKube.Helm.Tests;

/// <summary>The rendered chart applied with the real kubectl (1.35, from .tools/) to the test API server.</summary>
public sealed class KubectlApplyTests : IAsyncLifetime
{
    /// <summary>Resource names of the kinds the chart renders.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Plurals = new Dictionary<string, string>
    {
        ["ClusterRole"] = "clusterroles",
        ["ClusterRoleBinding"] = "clusterrolebindings",
        ["ConfigMap"] = "configmaps",
        ["CustomResourceDefinition"] = "customresourcedefinitions",
        ["DaemonSet"] = "daemonsets",
        ["Deployment"] = "deployments",
        ["Job"] = "jobs",
        ["PodDisruptionBudget"] = "poddisruptionbudgets",
        ["Role"] = "roles",
        ["RoleBinding"] = "rolebindings",
        ["RuntimeClass"] = "runtimeclasses",
        ["Service"] = "services",
        ["ServiceAccount"] = "serviceaccounts",
        ["ServiceMonitor"] = "servicemonitors",
    };

    private TestApiServer _server = null!;
    private Tool _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _kubectl = Tool.Kubectl(_server.KubeconfigPath);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Every_object_of_the_default_chart_applies_and_a_second_apply_stores_nothing_new()
    {
        var chart = await RenderedChart.RenderAsync();
        await ApplyNamespacesAsync(RenderedChart.Namespace);

        var output = (await _kubectl.RunAsync(["apply", "-f", "-"], chart.Yaml)).Ok();

        Assert.Equal(chart.Objects.Count, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        AssertStored(chart);
        // kubectl still sends a PodDisruptionBudget's selector (its patch strategy is "replace"), but nothing is stored anew.
        var revision = _server.ResourceVersion;
        (await _kubectl.RunAsync(["apply", "-f", "-"], chart.Yaml)).Ok();
        Assert.Equal(revision, _server.ResourceVersion);
    }

    [Fact]
    public async Task Every_object_of_the_chart_with_non_default_values_and_service_monitors_applies()
    {
        var chart = await RenderedChart.RenderAsync(ChartTests.NonDefaultValues);
        await ApplyNamespacesAsync(RenderedChart.Namespace, "apps", "monitoring");
        // The Prometheus Operator's CRD, as far as applying ServiceMonitors needs it.
        (await _kubectl.RunAsync(["apply", "-f", "-"], ServiceMonitorCrd)).Ok();

        (await _kubectl.RunAsync(["apply", "-f", "-"], chart.Yaml)).Ok();

        AssertStored(chart);
        Assert.Equal(2, _server.ListObjects("monitoring.coreos.com/v1", "servicemonitors", RenderedChart.Namespace).Count);
    }

    private async Task ApplyNamespacesAsync(params string[] names)
    {
        var yaml = string.Join("---\n", names.Select(n => $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {n}\n"));
        (await _kubectl.RunAsync(["apply", "-f", "-"], yaml)).Ok();
    }

    /// <summary>Each rendered object is stored, with its spec (or rules, data) as rendered.</summary>
    private void AssertStored(RenderedChart chart)
    {
        foreach (var rendered in chart.Objects)
        {
            var kind = RenderedChart.Kind(rendered);
            var ns = RenderedChart.NamespaceOf(rendered);
            var stored = _server.GetObject((string)rendered["apiVersion"]!, Plurals[kind], ns, RenderedChart.Name(rendered));
            Assert.True(stored is not null, $"{kind} {ns}/{RenderedChart.Name(rendered)} was not stored");
            foreach (var field in new[] { "rules", "data", "handler", "scheduling", "roleRef", "subjects" })
            {
                if (rendered[field] is { } expected)
                {
                    Assert.True(JsonNode.DeepEquals(expected, stored[field]), $"{kind} {RenderedChart.Name(rendered)}: {field} differs");
                }
            }
            if (kind is "Deployment" or "DaemonSet")
            {
                Assert.True(
                    JsonNode.DeepEquals(rendered["spec"]!["template"]!["spec"]!["containers"]![0]!["args"], stored["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]),
                    $"{kind} {RenderedChart.Name(rendered)}: args differ");
            }
        }
    }

    internal const string ServiceMonitorCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: servicemonitors.monitoring.coreos.com
        spec:
          group: monitoring.coreos.com
          scope: Namespaced
          names: {kind: ServiceMonitor, listKind: ServiceMonitorList, plural: servicemonitors, singular: servicemonitor}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
        """;
}
