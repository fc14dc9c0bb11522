using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WasmKube.Helm.Tests;

/// <summary>YAML documents as JSON trees, with plain scalars typed as YAML 1.2's core schema types them.</summary>
internal static class Yaml
{
    public static IReadOnlyList<JsonObject> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Select(d => ToJson(d.RootNode))
            .OfType<JsonObject>()
            .ToList();
    }

    public static JsonObject Document(string yaml) => Assert.Single(Documents(yaml));

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new FormatException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            // Parsed as JSON numbers, so they convert to whichever numeric type a test reads them as.
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonNode.Parse(integer.ToString(CultureInfo.InvariantCulture)),
            _ when value.Any(char.IsDigit) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonNode.Parse(real.ToString("R", CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(value),
        };
    }
}
