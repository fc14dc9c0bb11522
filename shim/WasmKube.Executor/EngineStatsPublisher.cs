using System.Globalization;
using WasmKube.Runtime;

namespace WasmKube.Executor;

/// <summary>
/// Publishes what node agents read about the engine (shim/README.md, "Engine statistics"): the compile and start
/// times once the guest is about to run, then its linear memory size every second. Each write replaces the file
/// atomically; a failed write never disturbs the guest.
/// </summary>
internal sealed class EngineStatsPublisher(string path, double compileSeconds) : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private double _startSeconds;
    private Memory? _memory;
    private Timer? _timer;

    /// <summary>The instance exists and its entry point is next; <paramref name="startSeconds"/> is the time since the task's Start.</summary>
    public void Started(Instance instance, double startSeconds)
    {
        _startSeconds = startSeconds;
        _memory = instance.GetMemory("memory");
        Write();
        _timer = new Timer(_ => Write(), null, Interval, Interval);
    }

    public void Dispose() => _timer?.Dispose();

    private void Write()
    {
        var json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"compileSeconds\":{compileSeconds:R},\"startSeconds\":{_startSeconds:R},\"linearMemoryBytes\":{_memory?.Length ?? 0}}}");
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllText(temporary, json);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The state directory went away (the container is being deleted) or is read-only: metrics only.
        }
    }
}
