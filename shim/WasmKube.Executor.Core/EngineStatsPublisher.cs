using System.Globalization;
using WasmKube.Guest;

namespace WasmKube.Executor;

/// <summary>
/// Publishes what node agents read about the engine (shim/README.md, "Engine statistics"): the compile and start
/// times once the guest is about to run, then its linear memory size every second. Each write replaces the file
/// atomically; a failed write never disturbs the guest.
/// </summary>
internal sealed class EngineStatsPublisher(string path, double compileSeconds, string engine) : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private double _startSeconds;
    private GuestInstance? _instance;
    private Timer? _timer;

    /// <summary>The instance exists and its entry point is next; <paramref name="startSeconds"/> is the time since the task's Start.</summary>
    public void Started(GuestInstance instance, double startSeconds)
    {
        _startSeconds = startSeconds;
        _instance = instance;
        Write();
        _timer = new Timer(_ => Write(), null, Interval, Interval);
    }

    public void Dispose() => _timer?.Dispose();

    private void Write()
    {
        var json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"engine\":\"{engine}\",\"compileSeconds\":{compileSeconds:R},\"startSeconds\":{_startSeconds:R},\"linearMemoryBytes\":{_instance?.LinearMemoryBytes ?? 0}}}");
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
