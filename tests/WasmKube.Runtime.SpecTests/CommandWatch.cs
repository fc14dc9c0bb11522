using System.Diagnostics;
using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Tracks the command a script thread is running so the test thread can stop a command that overruns: first with
/// <see cref="ISpecSession.Interrupt"/>, and if even that does not return, by abandoning the script.
/// </summary>
internal sealed class CommandWatch
{
    private readonly Lock _gate = new();
    private ISpecSession? _session;
    private int _index = -1;
    private long _startedAt;
    private bool _running;
    private bool _interrupted;

    public void Attach(ISpecSession? session)
    {
        lock (_gate)
        {
            _session = session;
        }
    }

    public void Begin(int index)
    {
        lock (_gate)
        {
            _index = index;
            _startedAt = Stopwatch.GetTimestamp();
            _running = true;
            _interrupted = false;
        }
    }

    /// <summary>Ends the current command; true when it had to be interrupted (the interruption is then cleared).</summary>
    public bool End()
    {
        lock (_gate)
        {
            _running = false;
            if (!_interrupted)
            {
                return false;
            }

            try
            {
                _session?.ResetInterrupt();
            }
            catch (Exception)
            {
                // An engine without interruption support never set anything to clear.
            }

            return true;
        }
    }

    public void InterruptIfOverdue(TimeSpan timeout)
    {
        lock (_gate)
        {
            if (!_running || _interrupted || Stopwatch.GetElapsedTime(_startedAt) < timeout)
            {
                return;
            }

            _interrupted = true;
            try
            {
                _session?.Interrupt();
            }
            catch (Exception)
            {
                // Without interruption support the script is abandoned once the hang limit passes.
            }
        }
    }

    /// <summary>The index of the command running for longer than <paramref name="limit"/>, if any.</summary>
    public int? Hung(TimeSpan limit)
    {
        lock (_gate)
        {
            return _running && Stopwatch.GetElapsedTime(_startedAt) >= limit ? _index : null;
        }
    }
}
