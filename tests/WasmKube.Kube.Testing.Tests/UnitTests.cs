using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Http;
using WasmKube.Kube.Testing.Patching;
using WasmKube.Kube.Testing.Storage;
using WasmKube.Kube.Testing.Yaml;

namespace WasmKube.Kube.Testing.Tests;

public sealed class UnitTests
{
    static readonly ResourceType ConfigMaps = BuiltinResources.All.Single(t => t.Plural == "configmaps");

    static JsonObject Labelled(string labels)
    {
        var l = new JsonObject();
        foreach (var pair in labels.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=');
            l[kv[0]] = kv[1];
        }
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n", ["labels"] = l } };
    }

    [Theory]
    [InlineData("app=web", "app=web,tier=x", true)]
    [InlineData("app==web", "app=db", false)]
    [InlineData("app!=web", "tier=x", true)]
    [InlineData("app in (web, db)", "app=db", true)]
    [InlineData("app notin (web,db)", "app=db", false)]
    [InlineData("app notin (web,db)", "tier=x", true)]
    [InlineData("app", "app=anything", true)]
    [InlineData("!app", "app=anything", false)]
    [InlineData("app in (web),!legacy", "app=web,legacy=1", false)]
    public void Label_selectors_follow_apimachinery(string selector, string labels, bool expected)
    {
        Assert.Equal(expected, Selectors.Parse(ConfigMaps, selector, null)(Labelled(labels)));
    }

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(200, "3m20s")]
    [InlineData(3600, "60m")]
    [InlineData(4 * 3600 + 300, "4h5m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(40 * 86400, "40d")]
    public void Ages_are_printed_like_kubectl(int seconds, string expected)
    {
        Assert.Equal(expected, TableConverter.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Yaml_scalars_are_typed_by_the_core_schema()
    {
        var doc = YamlJson.ParseDocuments("""
            a: 1
            b: "1"
            c: true
            d: 'yes'
            e: 1.5
            f: ~
            g: 1.0.0
            ---
            second: doc
            """);

        Assert.Equal(2, doc.Count);
        Assert.Equal("""{"a":1,"b":"1","c":true,"d":"yes","e":1.5,"f":null,"g":"1.0.0"}""", doc[0].ToJsonString());
    }

    [Fact]
    public void Invalid_yaml_names_the_position()
    {
        var error = Assert.Throws<FormatException>(() => YamlJson.ParseDocuments("a: b: c"));
        var unclosed = Assert.Throws<FormatException>(() => YamlJson.ParseDocuments("a: [1, 2\nb: 3"));

        Assert.StartsWith("invalid YAML at line 1", error.Message);
        Assert.StartsWith("invalid YAML", unclosed.Message);
    }

    [Fact]
    public void Merge_patch_follows_rfc7386()
    {
        var target = JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"},"l":[1,2]}""");
        var patch = JsonNode.Parse("""{"a":"z","c":{"f":null},"l":[3]}""");

        Assert.Equal("""{"a":"z","c":{"d":"e"},"l":[3]}""", MergePatch.Apply(target, patch)!.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_honours_directives_and_merge_keys()
    {
        var target = JsonNode.Parse("""
            {"metadata":{"finalizers":["a"]},
             "spec":{"containers":[{"name":"x","image":"1","env":[{"name":"A","value":"1"}]}],"volumes":[{"name":"v"}],"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"args":["p","q"]}}
            """)!.AsObject();
        var patch = JsonNode.Parse("""
            {"metadata":{"finalizers":["b"]},
             "spec":{"containers":[{"name":"x","env":[{"name":"B","value":"2"}]}],
                     "$setElementOrder/containers":[{"name":"x"}],
                     "volumes":[{"$patch":"replace"},{"name":"w"}],
                     "strategy":{"$retainKeys":["type"],"type":"Recreate"},
                     "$deleteFromPrimitiveList/args":["p"]}}
            """)!.AsObject();

        var result = StrategicMergePatch.Apply(target, patch);

        Assert.Equal("""["a","b"]""", result["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""[{"name":"x","image":"1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]""", result["spec"]!["containers"]!.ToJsonString());
        Assert.Equal("""[{"name":"w"}]""", result["spec"]!["volumes"]!.ToJsonString());
        Assert.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]!.ToJsonString());
        Assert.Equal("""["q"]""", result["spec"]!["args"]!.ToJsonString());
    }

    [Fact]
    public void Json_patch_supports_every_operation_and_pointer_escapes()
    {
        var target = JsonNode.Parse("""{"metadata":{"annotations":{"a/b":"1"}},"list":[1,2,3]}""")!.AsObject();
        var patch = JsonNode.Parse("""
            [{"op":"replace","path":"/metadata/annotations/a~1b","value":"2"},
             {"op":"remove","path":"/list/0"},
             {"op":"add","path":"/list/-","value":4},
             {"op":"copy","from":"/list/0","path":"/first"},
             {"op":"move","from":"/first","path":"/moved"},
             {"op":"test","path":"/moved","value":2}]
            """);

        Assert.Equal("""{"metadata":{"annotations":{"a/b":"2"}},"list":[2,3,4],"moved":2}""", JsonPatch.Apply(target, patch).ToJsonString());
    }

    [Theory]
    [InlineData("{.spec.replicas}", "3")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "True")]
    [InlineData(".spec.list[1]", "b")]
    public void Printer_column_json_paths(string path, string expected)
    {
        var obj = JsonNode.Parse("""{"spec":{"replicas":3,"list":["a","b"]},"status":{"conditions":[{"type":"Other","status":"False"},{"type":"Ready","status":"True"}]}}""");

        Assert.Equal(expected, JsonPaths.Scalar(JsonPaths.Evaluate(obj, path).Single()));
    }

    [Fact]
    public void Versions_are_ordered_by_kubernetes_priority()
    {
        Assert.Equal(["v2", "v1", "v1beta2", "v1beta1", "v1alpha1", "foo"], Discovery.OrderVersions(["v1alpha1", "foo", "v1beta1", "v1", "v1beta2", "v2"]));
    }
}
