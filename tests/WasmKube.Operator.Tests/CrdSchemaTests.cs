using System.Collections;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using WasmKube.Kube.Models;
using WasmKube.Operator.Entities;
using YamlDotNet.RepresentationModel;

namespace WasmKube.Operator.Tests;

/// <summary>
/// Keeps crds/wasmworkloads.wasmkube.io.yaml and the C# entity types in agreement, field by field, and checks the
/// structural-schema rules the real API server enforces (so the CRD installs on a cluster unchanged).
/// </summary>
public sealed class CrdSchemaTests
{
    private static readonly YamlMappingNode Crd = LoadCrd();
    private static readonly YamlMappingNode Version = (YamlMappingNode)((YamlSequenceNode)Path(Crd, "spec", "versions")).Children[0];
    private static readonly YamlMappingNode Schema = (YamlMappingNode)Path(Version, "schema", "openAPIV3Schema");

    [Fact]
    public void Spec_and_status_match_the_CSharp_types_field_by_field()
    {
        var problems = new List<string>();
        var typeInfo = WasmKubeJsonContext.Default.V1alpha1WasmWorkload;
        var spec = typeInfo.Properties.Single(p => p.Name == "spec").PropertyType;
        var status = typeInfo.Properties.Single(p => p.Name == "status").PropertyType;

        Compare(WasmKubeJsonContext.Default.GetTypeInfo(spec)!, (YamlMappingNode)Path(Schema, "properties", "spec"), "spec", problems);
        Compare(WasmKubeJsonContext.Default.GetTypeInfo(status)!, (YamlMappingNode)Path(Schema, "properties", "status"), "status", problems);

        Assert.True(problems.Count == 0, "CRD and C# types disagree:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Every_schema_node_is_structural()
    {
        var problems = new List<string>();
        CheckStructural(Schema, "", problems);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Names_subresources_and_printer_columns_are_declared()
    {
        Assert.Equal("wasmkube.io", Scalar(Crd, "spec", "group"));
        Assert.Equal("Namespaced", Scalar(Crd, "spec", "scope"));
        Assert.Contains("ww", ((YamlSequenceNode)Path(Crd, "spec", "names", "shortNames")).Children.Select(c => c.ToString()));
        Assert.Equal(V1alpha1WasmWorkload.Definition.Plural, Scalar(Crd, "spec", "names", "plural"));
        Assert.Equal(V1alpha1WasmWorkload.Definition.Kind, Scalar(Crd, "spec", "names", "kind"));
        Assert.Equal(V1alpha1WasmWorkload.Version, Scalar(Version, "name"));
        Assert.Equal(".spec.replicas", Scalar(Version, "subresources", "scale", "specReplicasPath"));
        Assert.Equal(".status.replicas", Scalar(Version, "subresources", "scale", "statusReplicasPath"));
        Assert.Equal(".status.selector", Scalar(Version, "subresources", "scale", "labelSelectorPath"));
        Assert.NotNull(Path(Version, "subresources", "status"));
        var columns = ((YamlSequenceNode)Path(Version, "additionalPrinterColumns")).Children.Select(c => Scalar((YamlMappingNode)c, "name")).ToList();
        Assert.Equal(["Image", "Desired", "Ready", "Age"], columns.Where(c => c is "Image" or "Desired" or "Ready" or "Age"));
    }

    [Fact]
    public void The_replica_minimum_and_the_required_image_are_in_the_schema()
    {
        var spec = (YamlMappingNode)Path(Schema, "properties", "spec");
        Assert.Equal("0", Scalar(spec, "properties", "replicas", "minimum"));
        Assert.Contains("image", ((YamlSequenceNode)Path(spec, "required")).Children.Select(c => c.ToString()));
    }

    private static void Compare(JsonTypeInfo type, YamlMappingNode schema, string path, List<string> problems)
    {
        if (Scalar(schema, "type") != "object")
        {
            problems.Add($"{path}: schema type is {Scalar(schema, "type") ?? "(none)"}, C# has object {type.Type.Name}");
            return;
        }
        var schemaProperties = TryPath(schema, "properties") as YamlMappingNode;
        var schemaNames = schemaProperties?.Children.Keys.Select(k => k.ToString()).ToHashSet() ?? [];
        var csharpNames = type.Properties.Select(p => p.Name).ToHashSet();
        foreach (var missing in csharpNames.Except(schemaNames))
        {
            problems.Add($"{path}.{missing}: in C# {type.Type.Name} but not in the CRD");
        }
        foreach (var missing in schemaNames.Except(csharpNames))
        {
            problems.Add($"{path}.{missing}: in the CRD but not in C# {type.Type.Name}");
        }
        var required = (TryPath(schema, "required") as YamlSequenceNode)?.Children.Select(c => c.ToString()).ToHashSet() ?? [];
        foreach (var property in type.Properties.Where(p => p.IsRequired && !required.Contains(p.Name)))
        {
            problems.Add($"{path}.{property.Name}: required in C# but not in the CRD");
        }
        foreach (var property in type.Properties.Where(p => schemaNames.Contains(p.Name)))
        {
            CompareValue(property.PropertyType, (YamlMappingNode)schemaProperties!.Children[new YamlScalarNode(property.Name)], $"{path}.{property.Name}", problems);
        }
    }

    private static void CompareValue(Type type, YamlMappingNode schema, string path, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = Scalar(schema, "type");
        if (type == typeof(JsonObject))
        {
            Expect(Scalar(schema, "x-kubernetes-preserve-unknown-fields") == "true", $"{path}: untyped in C#, so the CRD must preserve unknown fields", problems);
        }
        else if (type == typeof(ResourceQuantity) || type == typeof(IntOrString))
        {
            Expect(Scalar(schema, "x-kubernetes-int-or-string") == "true", $"{path}: a quantity/int-or-string needs x-kubernetes-int-or-string", problems);
        }
        else if (type == typeof(string))
        {
            Expect(schemaType == "string", $"{path}: C# string, CRD {schemaType}", problems);
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            Expect(schemaType == "integer", $"{path}: C# {type.Name}, CRD {schemaType}", problems);
            Expect(Scalar(schema, "format") == (type == typeof(int) ? "int32" : "int64"), $"{path}: C# {type.Name} needs format {(type == typeof(int) ? "int32" : "int64")}", problems);
        }
        else if (type == typeof(bool))
        {
            Expect(schemaType == "boolean", $"{path}: C# bool, CRD {schemaType}", problems);
        }
        else if (type == typeof(DateTimeOffset))
        {
            Expect(schemaType == "string" && Scalar(schema, "format") == "date-time", $"{path}: a time needs type string, format date-time", problems);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            Expect(schemaType == "object" && TryPath(schema, "additionalProperties") is YamlMappingNode, $"{path}: a map needs additionalProperties", problems);
            if (TryPath(schema, "additionalProperties") is YamlMappingNode values)
            {
                CompareValue(type.GetGenericArguments()[1], values, $"{path}[*]", problems);
            }
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>))
        {
            Expect(schemaType == "array", $"{path}: C# list, CRD {schemaType}", problems);
            if (TryPath(schema, "items") is YamlMappingNode items)
            {
                CompareValue(type.GetGenericArguments()[0], items, $"{path}[]", problems);
            }
        }
        else if (type.IsClass && !typeof(IEnumerable).IsAssignableFrom(type))
        {
            var info = WasmKubeJsonContext.Default.GetTypeInfo(type);
            if (info is null)
            {
                problems.Add($"{path}: no JSON contract for {type.Name}");
                return;
            }
            Compare(info, schema, path, problems);
        }
        else
        {
            problems.Add($"{path}: C# type {type.Name} has no known schema mapping");
        }
    }

    private static void CheckStructural(YamlMappingNode node, string path, List<string> problems)
    {
        var hasType = TryPath(node, "type") is not null;
        var intOrString = Scalar(node, "x-kubernetes-int-or-string") == "true";
        var preserve = Scalar(node, "x-kubernetes-preserve-unknown-fields") == "true";
        if (!hasType && !intOrString && !(preserve && path.Length > 0))
        {
            problems.Add($"{(path.Length == 0 ? "(root)" : path)}: no type");
        }
        if (preserve && TryPath(node, "properties") is null && path != ".spec.affinity")
        {
            problems.Add($"{path}: preserves unknown fields without declaring any; keep that to passthrough fields");
        }
        if (TryPath(node, "properties") is YamlMappingNode properties)
        {
            foreach (var (name, child) in properties.Children)
            {
                CheckStructural((YamlMappingNode)child, $"{path}.{name}", problems);
            }
        }
        if (TryPath(node, "items") is YamlMappingNode items)
        {
            CheckStructural(items, $"{path}[]", problems);
        }
        if (TryPath(node, "additionalProperties") is YamlMappingNode values)
        {
            CheckStructural(values, $"{path}[*]", problems);
        }
        if (Scalar(node, "x-kubernetes-list-type") == "map" && TryPath(node, "items") is YamlMappingNode mapItems)
        {
            var required = (TryPath(mapItems, "required") as YamlSequenceNode)?.Children.Select(c => c.ToString()).ToHashSet() ?? [];
            foreach (var key in ((YamlSequenceNode)Path(node, "x-kubernetes-list-map-keys")).Children.Select(c => c.ToString()))
            {
                Expect(required.Contains(key), $"{path}: list-map key {key} must be required", problems);
            }
        }
    }

    private static void Expect(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    private static YamlMappingNode LoadCrd()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(RepositoryPaths.Crd);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? TryPath(YamlNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }
            node = child;
        }
        return node;
    }

    private static YamlNode Path(YamlNode node, params string[] keys) =>
        TryPath(node, keys) ?? throw new KeyNotFoundException($"CRD has no {string.Join('.', keys)}");

    private static string? Scalar(YamlNode node, params string[] keys) => (TryPath(node, keys) as YamlScalarNode)?.Value;
}
