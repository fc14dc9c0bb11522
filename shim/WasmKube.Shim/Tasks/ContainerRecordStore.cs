using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmKube.Shim.Tasks;

/// <summary>
/// Writes <see cref="ContainerRecord"/>s atomically to DIR/NAMESPACE/ID.json; on delete, a record that shows an exit
/// is retired rather than removed (see <see cref="Retire"/>).
/// </summary>
public sealed class ContainerRecordStore(string directory)
{
    public const string DefaultDirectory = "/run/wasmkube/containers";

    /// <summary>Status of a retired record: the task was deleted, the record stays for <see cref="RetiredRetention"/>.</summary>
    public const string Deleted = "deleted";

    /// <summary>
    /// How long a retired record stays: longer than any scrape interval, so that a node agent counts the exit even
    /// when containerd's CRI deletes the task as soon as it exits (it does).
    /// </summary>
    public static readonly TimeSpan RetiredRetention = TimeSpan.FromMinutes(5);

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
    }

    /// <summary>
    /// The task was deleted: a record with an exit stays, as <see cref="Deleted"/> without a pid, beside its engine
    /// statistics, for <see cref="RetiredRetention"/>; one without an exit goes; a retired one stays as it is (the
    /// delete action that containerd runs after every task delete comes here too). Retired records past their
    /// retention in the namespace are removed now.
    /// </summary>
    public void Retire(string ns, string id, DateTime now)
    {
        switch (Read(ns, id))
        {
            case { Status: Deleted }:
                break;
            case { ExitStatus: not null } record:
                Write(record with { Status = Deleted, Pid = 0, DeletedAt = now });
                break;
            default:
                Remove(ns, id);
                break;
        }

        RemoveRetiredBefore(ns, now - RetiredRetention);
    }

    private void RemoveRetiredBefore(string ns, DateTime cutoff)
    {
        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(Path.Combine(Directory, ns), "*.json");
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var file in files)
        {
            // A retired record is written once, so only files not written since the cutoff need reading.
            if (file.EndsWith(".engine.json", StringComparison.Ordinal) || File.GetLastWriteTimeUtc(file) >= cutoff) continue;
            var id = Path.GetFileName(file)[..^".json".Length];
            if (Read(ns, id) is { Status: Deleted, DeletedAt: { } deletedAt } && deletedAt < cutoff) Remove(ns, id);
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class ContainerRecordJsonContext : JsonSerializerContext;
