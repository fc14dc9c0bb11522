using System.Diagnostics;

namespace WasmKube.Kube.Testing.Envtest;

/// <summary>
/// One control-plane binary (etcd or kube-apiserver) run as a child process. Its stdout is drained and discarded; the
/// last lines of its stderr (where both binaries log) are kept so a failed start can say why.
/// </summary>
internal sealed class ControlPlaneProcess : IAsyncDisposable
{
    const int TailLines = 30;
    readonly Process _process;
    readonly Queue<string> _stderrTail = new();
    readonly Task _drained;

    ControlPlaneProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _drained = Task.WhenAll(DrainAsync(process.StandardOutput, keep: false), DrainAsync(process.StandardError, keep: true));
    }

    /// <summary>The binary's file name, for messages.</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ControlPlaneProcess Start(string path, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start");
        return new ControlPlaneProcess(Path.GetFileName(path), process);
    }

    /// <summary>The last lines the process wrote to stderr, for error messages.</summary>
    public string StderrTail()
    {
        lock (_stderrTail)
        {
            return _stderrTail.Count == 0 ? "(no output on stderr)" : string.Join('\n', _stderrTail);
        }
    }

    /// <summary>Why the process is no longer usable, with its exit code and the tail of its stderr.</summary>
    public string ExitReport()
    {
        // Exited is not yet drained: the parameterless wait also waits for the last stderr lines to be delivered.
        _process.WaitForExit();
        return $"{Name} exited with code {_process.ExitCode}; the end of its stderr:\n{StderrTail()}";
    }

    async Task DrainAsync(StreamReader reader, bool keep)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!keep)
            {
                continue;
            }
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                if (_stderrTail.Count > TailLines)
                {
                    _stderrTail.Dequeue();
                }
            }
        }
    }

    /// <summary>Kills the process (by its pid) and waits until it is gone and its output is drained.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Nothing of the control plane's state outlives the test run, so no graceful shutdown is needed.
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        await _process.WaitForExitAsync();
        await _drained;
        _process.Dispose();
    }
}
