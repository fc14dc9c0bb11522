using System.Text.Json;

namespace WasmKube.NodeAgent.Metrics;

/// <summary>Reads the shim's container records and the executors' engine stats from the state directory.</summary>
public sealed class ContainerRecordReader(string stateDirectory)
{
    public const string EngineStatsSuffix = ".engine.json";

    public IEnumerable<ContainerRecord> ReadRecords()
    {
        if (!Directory.Exists(stateDirectory)) yield break;
        foreach (var file in Directory.EnumerateFiles(stateDirectory, "*.json", SearchOption.AllDirectories))
        {
            if (file.EndsWith(EngineStatsSuffix, StringComparison.Ordinal)) continue;
            if (Read(file, MetricsJsonContext.Default.ContainerRecord) is { } record) yield return record;
        }
    }

    public EngineStats? ReadEngineStats(ContainerRecord record) =>
        Read(Path.Combine(stateDirectory, record.Namespace, record.Id + EngineStatsSuffix), MetricsJsonContext.Default.EngineStats);

    private static T? Read<T>(string file, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(file), type);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // Missing, deleted between listing and reading, or not ours: the next scrape sees the current state.
            return null;
        }
    }
}
