using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmKube.Shim.Tasks;

/// <summary>Writes <see cref="ContainerRecord"/>s atomically to DIR/NAMESPACE/ID.json and removes them on delete.</summary>
public sealed class ContainerRecordStore(string directory)
{
    public const string DefaultDirectory = "/run/wasmkube/containers";

    public static ContainerRecordStore FromEnvironment() =>
        new(Environment.GetEnvironmentVariable("WASMKUBE_STATE_DIR") is { Length: > 0 } dir ? dir : DefaultDirectory);

    public string Directory { get; } = directory;

    public string PathOf(string ns, string id) => Path.Combine(Directory, ns, id + ".json");

    /// <summary>Where the container's executor publishes its engine statistics, beside the record.</summary>
    public string EngineStatsPathOf(string ns, string id) => Path.Combine(Directory, ns, id + ".engine.json");

    public void Write(ContainerRecord record)
    {
        var path = PathOf(record.Namespace, record.Id);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(record, ContainerRecordJsonContext.Default.ContainerRecord));
        File.Move(temp, path, overwrite: true);
    }

    public ContainerRecord? Read(string ns, string id)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(PathOf(ns, id)), ContainerRecordJsonContext.Default.ContainerRecord);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public void Remove(string ns, string id)
    {
        File.Delete(PathOf(ns, id));
        File.Delete(EngineStatsPathOf(ns, id));
        var statsDirectory = Containment.ContainedLauncher.StatsDirectoryOf(EngineStatsPathOf(ns, id));
        if (System.IO.Directory.Exists(statsDirectory)) System.IO.Directory.Delete(statsDirectory, recursive: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class ContainerRecordJsonContext : JsonSerializerContext;
