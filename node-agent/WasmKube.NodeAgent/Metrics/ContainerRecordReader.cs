using System.Text.Json;
using WasmKube.Contracts;

namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// Reads the shim's container records and the executors' engine stats where <see cref="ContainerRecordLayout"/> puts
/// them, skipping formats newer than this agent knows. One scrape asks several collectors for their families; the
/// records read for the first are reused by the others for a moment, so a scrape reads each file once.
/// </summary>
public sealed class ContainerRecordReader(string stateDirectory, TimeProvider? time = null)
{
    private static readonly TimeSpan Reuse = TimeSpan.FromMilliseconds(500);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ContainerRecordLayout _layout = new(stateDirectory);
    private readonly Lock _lock = new();
    private (long Timestamp, IReadOnlyList<ContainerRecord> Records)? _last;

    public IReadOnlyList<ContainerRecord> ReadRecords()
    {
        lock (_lock)
        {
            if (_last is { } last && _time.GetElapsedTime(last.Timestamp) < Reuse) return last.Records;
            var records = ReadAll();
            _last = (_time.GetTimestamp(), records);
            return records;
        }
    }

    private List<ContainerRecord> ReadAll()
    {
        var records = new List<ContainerRecord>();
        if (!Directory.Exists(stateDirectory)) return records;
        foreach (var ns in Directory.EnumerateDirectories(stateDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(ns, "*" + ContainerRecordLayout.RecordSuffix))
            {
                if (ContainerRecordLayout.IdOfRecordFile(file) is null) continue;
                if (Read(file, ContractJson.Default.ContainerRecord) is { Version: <= ContainerRecord.CurrentVersion } record) records.Add(record);
            }
        }

        return records;
    }

    public EngineStats? ReadEngineStats(ContainerRecord record) =>
        Read(_layout.EngineStatsPath(record.Namespace, record.Id), ContractJson.Default.EngineStats) is { Version: <= EngineStats.CurrentVersion } stats ? stats : null;

    /// <summary>
    /// Engine statistics come from executors that may run a hostile guest, and the state directory is on the host:
    /// a file is opened without blocking (a FIFO would otherwise hold the scrape), read up to
    /// <see cref="ContainerRecordLayout.MaxFileBytes"/> (a link to a device would otherwise never end) and parsed as data.
    /// </summary>
    private static T? Read<T>(string file, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            using var stream = new FileStream(Install.NativeMethods.OpenNonBlocking(file), FileAccess.Read, bufferSize: 0);
            var buffer = new byte[ContainerRecordLayout.MaxFileBytes + 1];
            var length = 0;
            for (int read; length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0;) length += read;
            return length > ContainerRecordLayout.MaxFileBytes ? null : JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // Missing, deleted between listing and reading, or not ours: the next scrape sees the current state.
            return null;
        }
    }
}
