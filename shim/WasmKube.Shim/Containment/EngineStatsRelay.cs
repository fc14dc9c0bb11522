using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using WasmKube.Contracts;

namespace WasmKube.Shim.Containment;

/// <summary>
/// Publishes a contained executor's engine statistics: the executor writes one <see cref="EngineStats"/> record per
/// line to a pipe, and this relay, on a thread of its own, replaces the statistics file beside the container record
/// with each line of at most <see cref="EngineStats.MaxBytes"/> that reads as a record, written again from what was
/// read. The executor, which may run a hostile guest, thus writes nothing on the host; what it sends is checked
/// before anyone reads it.
/// </summary>
internal static class EngineStatsRelay
{
    /// <summary>Starts relaying to <paramref name="statsFile"/>; returns the pipe's write end for the executor.</summary>
    public static unsafe SafeFileHandle Start(string statsFile)
    {
        var fds = stackalloc int[2];
        Sys.Check(Sys.pipe2(fds, Sys.O_CLOEXEC), "pipe2 for the engine statistics");
        var reader = new FileStream(new SafeFileHandle(fds[0], ownsHandle: true), FileAccess.Read, bufferSize: 0);
        var thread = new Thread(() => Relay(reader, statsFile), 128 * 1024) { IsBackground = true, Name = "engine-stats" };
        thread.Start();
        return new SafeFileHandle(fds[1], ownsHandle: true);
    }

    private static void Relay(FileStream pipe, string statsFile)
    {
        using (pipe)
        {
            var line = new List<byte>(256);
            var discarding = false;
            var buffer = new byte[EngineStats.MaxBytes];
            int read;
            while ((read = ReadSome(pipe, buffer)) > 0)
            {
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b != (byte)'\n')
                    {
                        if (line.Count < EngineStats.MaxBytes) line.Add(b);
                        else discarding = true;
                        continue;
                    }

                    if (!discarding) Publish(line, statsFile);
                    line.Clear();
                    discarding = false;
                }
            }
        }
    }

    private static int ReadSome(FileStream pipe, byte[] buffer)
    {
        try
        {
            return pipe.Read(buffer, 0, buffer.Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static void Publish(List<byte> record, string statsFile)
    {
        try
        {
            if (JsonSerializer.Deserialize(record.ToArray(), ContractJson.Default.EngineStats) is not { } stats) return;
            var temporary = statsFile + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(stats, ContractJson.Default.EngineStats));
            File.Move(temporary, statsFile, overwrite: true);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // Not a record, or the state directory went away with the container: the next record may do.
        }
    }
}
