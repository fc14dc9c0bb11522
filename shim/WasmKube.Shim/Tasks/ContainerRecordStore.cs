using System.Text.Json;
using WasmKube.Contracts;

namespace WasmKube.Shim.Tasks;

/// <summary>
/// Writes <see cref="ContainerRecord"/>s atomically where <see cref="ContainerRecordLayout"/> puts them; on delete, a
/// record that shows an exit is retired rather than removed (see <see cref="Retire"/>).
/// </summary>
public sealed class ContainerRecordStore(string directory)
{

    /// <summary>
    /// How long a retired record stays: longer than any scrape interval, so that a node agent counts the exit even
    /// when containerd's CRI deletes the task as soon as it exits (it does).
    /// </summary>
    public static readonly TimeSpan RetiredRetention = TimeSpan.FromMinutes(5);

    public static ContainerRecordStore FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(ContainerRecordLayout.DirectoryVariable) is { Length: > 0 } dir ? dir : ContainerRecordLayout.DefaultDirectory);

    /// <summary>Where records and the engine statistics beside them live.</summary>
    public ContainerRecordLayout Layout { get; } = new(directory);

    public void Write(ContainerRecord record)
    {
        var path = Layout.RecordPath(record.Namespace, record.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(record, ContractJson.Default.ContainerRecord));
        File.Move(temp, path, overwrite: true);
    }

    public ContainerRecord? Read(string ns, string id)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Layout.RecordPath(ns, id)), ContractJson.Default.ContainerRecord);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public void Remove(string ns, string id)
    {
        // File.Delete accepts a missing file but not a missing directory: a create that failed wrote no record.
        if (!Directory.Exists(Path.Combine(Layout.Directory, ns))) return;
        File.Delete(Layout.RecordPath(ns, id));
        File.Delete(Layout.EngineStatsPath(ns, id));
    }

    /// <summary>
    /// The task was deleted: a record with an exit stays, as <see cref="ContainerRecord.Deleted"/> without a pid, beside its engine
    /// statistics, for <see cref="RetiredRetention"/>; one without an exit goes; a retired one stays as it is (the
    /// delete action that containerd runs after every task delete comes here too). Retired records past their
    /// retention in the namespace are removed now.
    /// </summary>
    public void Retire(string ns, string id, DateTime now)
    {
        switch (Read(ns, id))
        {
            case { Status: ContainerRecord.Deleted }:
                break;
            case { ExitStatus: not null } record:
                Write(record with { Status = ContainerRecord.Deleted, Pid = 0, DeletedAt = now });
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
            files = Directory.GetFiles(Path.Combine(Layout.Directory, ns), "*" + ContainerRecordLayout.RecordSuffix);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var file in files)
        {
            // A retired record is written once, so only files not written since the cutoff need reading.
            if (ContainerRecordLayout.IdOfRecordFile(file) is not { } id || File.GetLastWriteTimeUtc(file) >= cutoff) continue;
            if (Read(ns, id) is { Status: ContainerRecord.Deleted, DeletedAt: { } deletedAt } && deletedAt < cutoff) Remove(ns, id);
        }
    }
}
