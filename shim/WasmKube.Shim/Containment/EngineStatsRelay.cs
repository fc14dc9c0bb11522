using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace WasmKube.Shim.Containment;

/// <summary>
/// Publishes a contained executor's engine statistics: the executor writes one JSON record per line to a pipe, and
/// this relay, on a thread of its own, replaces the statistics file beside the container record with each record that
/// is a JSON object of at most <see cref="MaxRecordBytes"/>. The executor, which may run a hostile guest, thus writes
/// nothing on the host; what it sends is checked before anyone reads it.
/// </summary>
internal static class EngineStatsRelay
{
    public const int MaxRecordBytes = 4096;

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
            var buffer = new byte[MaxRecordBytes];
            int read;
            while ((read = ReadSome(pipe, buffer)) > 0)
            {
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b != (byte)'\n')
                    {
                        if (line.Count < MaxRecordBytes) line.Add(b);
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
        var bytes = record.ToArray();
        try
        {
            using (var document = JsonDocument.Parse(bytes))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object) return;
            }

            var temporary = statsFile + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, statsFile, overwrite: true);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // Not a record, or the state directory went away with the container: the next record may do.
        }
    }
}
