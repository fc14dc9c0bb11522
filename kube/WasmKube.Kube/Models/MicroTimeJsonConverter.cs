using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmKube.Kube.Models;

/// <summary>
/// metav1.MicroTime (Lease renewTime/acquireTime, Event eventTime): the API server parses it with Go's RFC3339Micro
/// layout, which wants exactly six fractional digits, while .NET writes seven by default.
/// </summary>
public sealed class MicroTimeJsonConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => false;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
}
