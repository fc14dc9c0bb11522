using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Converts .wast scripts to wast2json's JSON + .wasm form in a temporary folder, each at most once per run. Asking
/// for one script also starts converting the next few in the background (two wast2json processes at most), so
/// conversion overlaps with running the previous script. A converted script is kept until each of its
/// <c>consumers</c> has released it (or the run ends).
/// </summary>
internal sealed class WastConverter(string suiteDirectory, IReadOnlyList<string> scriptOrder, int consumers) : IAsyncDisposable
{
    private const int Lookahead = 2;
    private static readonly TimeSpan ConversionTimeout = TimeSpan.FromMinutes(1);

    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("wasmkube-spec-");
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _conversions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _processes = new(2);
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<string, int> _releases = new(StringComparer.Ordinal);

    /// <summary>The path of the JSON file of <paramref name="wastFile"/> (a file name in the suite folder).</summary>
    public Task<string> ConvertAsync(string wastFile)
    {
        var position = IndexOf(wastFile);
        foreach (var next in scriptOrder.Skip(position + 1).Take(Lookahead))
        {
            _ = Start(next);
        }

        return Start(wastFile);
    }

    /// <summary>Deletes the converted files of a script once every consumer has run it.</summary>
    public void Release(string wastFile)
    {
        if (_releases.AddOrUpdate(wastFile, 1, (_, count) => count + 1) < consumers)
        {
            return;
        }

        var folder = Path.Combine(_output.FullName, Path.GetFileNameWithoutExtension(wastFile));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        // Running wast2json processes are killed on cancellation; let them go before removing their folder.
        var running = Task.WhenAll(_conversions.Values.Where(c => c.IsValueCreated).Select(c => c.Value));
        await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(5)));
        _output.Delete(recursive: true);
        _processes.Dispose();
        _disposed.Dispose();
    }

    private int IndexOf(string wastFile)
    {
        for (var i = 0; i < scriptOrder.Count; i++)
        {
            if (scriptOrder[i] == wastFile)
            {
                return i;
            }
        }

        return scriptOrder.Count;
    }

    private Task<string> Start(string wastFile) =>
        _conversions.GetOrAdd(wastFile, file => new Lazy<Task<string>>(() => Task.Run(() => RunWast2JsonAsync(file)))).Value;

    private async Task<string> RunWast2JsonAsync(string wastFile)
    {
        var stem = Path.GetFileNameWithoutExtension(wastFile);
        var folder = Directory.CreateDirectory(Path.Combine(_output.FullName, stem));
        var json = Path.Combine(folder.FullName, stem + ".json");

        await _processes.WaitAsync(_disposed.Token);
        try
        {
            var start = new ProcessStartInfo("wast2json")
            {
                ArgumentList = { "--enable-all", Path.Combine(suiteDirectory, wastFile), "-o", json },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("wast2json did not start");
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException("wast2json (from wabt) is not on PATH; install wabt (scripts/deps.sh does) to run the spec suite", e);
            }

            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
                timeout.CancelAfter(ConversionTimeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException($"wast2json did not convert {wastFile} within {ConversionTimeout.TotalSeconds:0} s");
                }

                await Task.WhenAll(stdout, stderr);
                // wast2json also reports wabt's own validation complaints on stderr while still writing the output
                // (it rejects some valid ref.func uses under --enable-all); only its exit code and output count.
                if (process.ExitCode != 0 || !File.Exists(json))
                {
                    throw new InvalidOperationException($"wast2json failed on {wastFile} (exit code {process.ExitCode}): {stderr.Result.Trim()}");
                }
            }
        }
        finally
        {
            _processes.Release();
        }

        return json;
    }
}
