using System.Text.Json;
using System.Text.Json.Nodes;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;

namespace WasmKube.Kube.Tests;

public sealed class ModelTests
{
    [Theory]
    [InlineData("500m", "0.5")]
    [InlineData("1Gi", "1024Mi")]
    [InlineData("1k", "1000")]
    [InlineData("1e3", "1k")]
    public void Quantities_written_differently_are_equal(string left, string right) =>
        Assert.Equal(new ResourceQuantity(left), new ResourceQuantity(right));

    [Theory]
    [InlineData("12x")]
    [InlineData("Mi")]
    [InlineData("1.2.3")]
    public void A_malformed_quantity_is_rejected_with_a_hint(string text)
    {
        var error = Assert.Throws<FormatException>(() => new ResourceQuantity(text));
        Assert.Contains("500m", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantities_and_int_or_string_read_both_json_forms()
    {
        var requirements = JsonSerializer.Deserialize("""{"limits":{"cpu":1,"memory":"64Mi"}}""", TestJsonContext.Default.V1ResourceRequirements)!;
        Assert.Equal("1", requirements.Limits!["cpu"].Value);
        Assert.Equal(64m * 1024 * 1024, requirements.Limits["memory"].ToDecimal());

        var port = JsonSerializer.Deserialize("""{"port":80,"targetPort":"http"}""", TestJsonContext.Default.V1ServicePort)!;
        Assert.Equal("http", port.TargetPort!.StringValue);
        Assert.Equal("""{"port":80,"targetPort":8080}""", JsonSerializer.Serialize(new V1ServicePort { Port = 80, TargetPort = 8080 }, TestJsonContext.Default.V1ServicePort));
    }

    [Fact]
    public void Serialization_uses_api_names_and_leaves_out_unset_fields()
    {
        var json = JsonSerializer.Serialize(new V1Deployment { Metadata = new V1ObjectMeta { Name = "x" } }, KubeJsonContext.Default.V1Deployment);
        Assert.Equal("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"}}""", json);
    }

    [Fact]
    public void Equal_strings_of_decoded_objects_share_one_instance_and_round_trip_unchanged()
    {
        const string json = """
            {"metadata":{"name":"web","labels":{"app.kubernetes.io/name":"web"}},
             "spec":{"selector":{"matchLabels":{"app.kubernetes.io/name":"web"}},
                     "template":{"metadata":{"annotations":{"note":"say \u0022hi\u0022","caf\u00e9":"d\u00e9j\u00e0 vu"}}},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":1}}}}
            """;
        var first = JsonSerializer.Deserialize(json, KubeJsonContext.Default.V1Deployment)!;
        var second = JsonSerializer.Deserialize(json, KubeJsonContext.Default.V1Deployment)!;

        // Names, label keys and values: one instance across objects and within one.
        Assert.Same(first.Metadata.Name, second.Metadata.Name);
        Assert.Same(first.Metadata.Name, first.Spec!.Selector.MatchLabels!["app.kubernetes.io/name"]);
        Assert.Same(first.Metadata.Labels!.Keys.Single(), second.Spec!.Selector.MatchLabels!.Keys.Single());
        // Escaped and non-ASCII text is decoded as usual.
        var annotations = first.Spec.Template.Metadata!.Annotations!;
        Assert.Equal("say \"hi\"", annotations["note"]);
        Assert.Equal("déjà vu", annotations["café"]);
        Assert.Equal(("RollingUpdate", "25%", 1), (first.Spec.Strategy!.Type, first.Spec.Strategy.RollingUpdate!.MaxUnavailable!.StringValue, second.Spec.Strategy!.RollingUpdate!.MaxSurge!.IntValue));

        var written = JsonSerializer.Serialize(first, KubeJsonContext.Default.V1Deployment);
        Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize(written, KubeJsonContext.Default.V1Deployment), KubeJsonContext.Default.V1Deployment), written);
    }

    [Fact]
    public void Resource_paths_follow_the_api_layout()
    {
        Assert.Equal("/apis/apps/v1/namespaces/ns/deployments/web", V1Deployment.Definition.ItemPath("ns", "web"));
        Assert.Equal("/api/v1/configmaps", V1ConfigMap.Definition.CollectionPath(null));
        Assert.Equal("/apis/node.k8s.io/v1/runtimeclasses/wasmkube", V1RuntimeClass.Definition.ItemPath("ignored", "wasmkube"));
        Assert.Throws<ArgumentException>(() => V1Service.Definition.ItemPath(null, "x"));
    }

    [Fact]
    public void Subset_ignores_server_defaults_and_quantity_spelling_but_not_real_drift()
    {
        var desired = JsonNode.Parse("""{"replicas":2,"template":{"containers":[{"image":"a","resources":{"limits":{"cpu":"0.5"}}}],"tolerations":[]}}""");
        var live = JsonNode.Parse("""{"replicas":2,"strategy":{"type":"RollingUpdate"},"template":{"containers":[{"image":"a","imagePullPolicy":"Always","resources":{"limits":{"cpu":"500m"}}}]}}""");
        var drifted = JsonNode.Parse("""{"replicas":2,"template":{"containers":[{"image":"b","resources":{"limits":{"cpu":"500m"}}}]}}""");
        var extraContainer = JsonNode.Parse("""{"replicas":2,"template":{"containers":[{"image":"a","resources":{"limits":{"cpu":"500m"}}},{"image":"c"}]}}""");

        Assert.True(JsonSubset.Contains(live, desired));
        Assert.False(JsonSubset.Contains(drifted, desired));
        Assert.False(JsonSubset.Contains(extraContainer, desired));
    }

    [Fact]
    public void Subset_treats_empty_values_the_server_omits_as_present()
    {
        var desired = JsonNode.Parse("""{"env":[{"name":"A","value":""}],"readOnly":false}""");
        Assert.True(JsonSubset.Contains(JsonNode.Parse("""{"env":[{"name":"A"}]}"""), desired));
        Assert.False(JsonSubset.Contains(JsonNode.Parse("""{"env":[{"name":"A","value":"x"}]}"""), desired));
    }

    [Fact]
    public void Lease_times_use_six_fractional_digits_as_the_server_parses_them()
    {
        var spec = new V1Lease { Spec = new V1LeaseSpec { RenewTime = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567) } };
        var json = JsonSerializer.Serialize(spec, KubeJsonContext.Default.V1Lease);
        Assert.Contains("\"renewTime\":\"2030-01-02T03:04:05.123456Z\"", json, StringComparison.Ordinal);
        Assert.Equal(spec.Spec.RenewTime.Value.AddTicks(-7), JsonSerializer.Deserialize(json, KubeJsonContext.Default.V1Lease)!.Spec!.RenewTime);
    }
}
