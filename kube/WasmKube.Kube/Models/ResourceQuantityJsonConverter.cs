using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmKube.Kube.Models;

/// <summary>Reads a quantity written as a string or as a bare number (YAML `cpu: 1`); always writes a string.</summary>
public sealed class ResourceQuantityJsonConverter : JsonConverter<ResourceQuantity>
{
    public override ResourceQuantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new ResourceQuantity(reader.GetString()!),
            JsonTokenType.Number => new ResourceQuantity(reader.GetDecimal().ToString(CultureInfo.InvariantCulture)),
            _ => throw new JsonException($"A quantity must be a string or a number, not {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, ResourceQuantity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
