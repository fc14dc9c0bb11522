using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmKube.Kube.Models;

/// <summary>
/// Reads JSON strings through a process-wide table of recent short strings, so equal strings decoded from different
/// objects share one instance. An informer cache is mostly strings that repeat: label keys and values, kinds, API
/// versions, condition types and reasons, an owner's name in its children's labels, selector and owner reference.
/// Sharing them roughly halves the memory of a cached Deployment. Register it on a source-generated context
/// (<c>[JsonSourceGenerationOptions(Converters = [typeof(SharedStringJsonConverter)])]</c>) for custom resources too.
/// </summary>
public sealed class SharedStringJsonConverter : JsonConverter<string>
{
    /// <summary>Longer strings (messages, certificates, ConfigMap data) are rarely equal and are read as usual.</summary>
    public const int MaxSharedLength = 128;

    // Direct-mapped: a slot holds the last string that hashed to it, so the table never grows and needs no lock
    // (a reference write is atomic; a lost race only costs one extra copy of a string).
    private const int Slots = 8192;
    private static readonly string?[] Table = new string?[Slots];

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? ReadShared(ref reader)
            : throw new JsonException($"Expected a string, not {reader.TokenType}.");

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadShared(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string ReadShared(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxSharedLength)
        {
            return reader.GetString()!;
        }
        return Share(reader.ValueSpan);
    }

    /// <summary>The shared instance equal to the ASCII text <paramref name="utf8"/>; other text is decoded as usual.</summary>
    internal static string Share(ReadOnlySpan<byte> utf8)
    {
        if (!Ascii.IsValid(utf8))
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var slot = ref Table[hash.ToHashCode() & (Slots - 1)];
        var candidate = Volatile.Read(ref slot);
        if (candidate is not null && Ascii.Equals(utf8, candidate))
        {
            return candidate;
        }
        var text = Encoding.ASCII.GetString(utf8);
        Volatile.Write(ref slot, text);
        return text;
    }
}
