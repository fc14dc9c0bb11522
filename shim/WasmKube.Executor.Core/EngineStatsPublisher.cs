using System.Text.Json;
using WasmKube.Contracts;
using WasmKube.Guest;

namespace WasmKube.Executor;

/// <summary>
/// Publishes the <see cref="EngineStats"/> node agents read (shim/README.md, "Container records"): the compile time once the
/// module is loaded, the start time once the guest is about to run, then its linear memory size every second, and
/// last why the run ended and its exit code. Each record goes to <paramref name="publish"/> (<see cref="ToFile"/> or
/// <see cref="ToPipe"/>); a failed write never disturbs the guest.
/// </summary>
internal sealed class EngineStatsPublisher(Action<string> publish, double compileSeconds, string engine) : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private double _startSeconds;
    private GuestInstance? _instance;
    private Timer? _timer;
    private long _linearMemoryBytes;
    private (string Reason, int Code)? _exit;

    /// <summary>The instance exists and its entry point is next; <paramref name="startSeconds"/> is the time since the task's Start.</summary>
    public void Started(GuestInstance instance, double startSeconds)
    {
        lock (_lock)
        {
            _startSeconds = startSeconds;
            _instance = instance;
            _linearMemoryBytes = instance.LinearMemoryBytes;
            Write();
            _timer = new Timer(_ => Tick(), null, Interval, Interval);
        }
    }

    /// <summary>The final write: the reason (<see cref="ExitReasonOf"/>), the process's exit code and the memory the guest ended with.</summary>
    public void Exited(string reason, int exitCode, long linearMemoryBytes)
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            _instance = null;
            _linearMemoryBytes = linearMemoryBytes;
            _exit = (reason, exitCode);
            Write();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Tick()
    {
        lock (_lock)
        {
            if (_instance is null) return;
            try
            {
                _linearMemoryBytes = _instance.LinearMemoryBytes;
            }
            catch (ObjectDisposedException)
            {
                // The run just ended; Exited writes the last figures.
                return;
            }

            Write();
        }
    }

    private void Write()
    {
        var json = JsonSerializer.Serialize(new EngineStats
        {
            Engine = engine,
            CompileSeconds = compileSeconds,
            StartSeconds = _startSeconds,
            LinearMemoryBytes = _linearMemoryBytes,
            ExitReason = _exit?.Reason,
            ExitCode = _exit?.Code,
        }, ContractJson.Default.EngineStats);
        try
        {
            publish(json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The state directory went away (the container is being deleted), is read-only, or the shim stopped
            // reading: metrics only.
        }
    }

    /// <summary>Replaces the file at <paramref name="path"/> atomically with each record (an executor the shim did not contain).</summary>
    public static Action<string> ToFile(string path) => json =>
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, path, overwrite: true);
    };

    /// <summary>
    /// Writes each record as one line to an inherited pipe, which the shim reads and publishes: a contained executor
    /// can write nowhere on the host.
    /// </summary>
    public static Action<string> ToPipe(int fd)
    {
        var pipe = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
        return json =>
        {
            pipe.Write(System.Text.Encoding.UTF8.GetBytes(json + "\n"));
            pipe.Flush();
        };
    }

    public static string ExitReasonOf(GuestOutcome outcome) => outcome switch
    {
        GuestOutcome.Exited => ExitReasons.Exited,
        GuestOutcome.Trapped => ExitReasons.Trap,
        GuestOutcome.OutOfFuel => ExitReasons.OutOfFuel,
        GuestOutcome.TimedOut => ExitReasons.Timeout,
        GuestOutcome.Stopped => ExitReasons.Signal,
        _ => ExitReasons.Refused,
    };
}
