using System.ComponentModel;
using System.Diagnostics;

namespace WasmKube.Bench.Kernels;

/// <summary>Runs a kernel in another process (the gcc build, or node with the V8 driver) and reads its one result line.</summary>
internal static class ExternalRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<Measurement> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (Win32Exception e)
        {
            return Measurement.Failed($"cannot start {program}: {e.Message}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return Measurement.Failed($"{program} did not finish within {Timeout.TotalMinutes:0} minutes");
            }

            var output = (await stdout).Trim();
            return process.ExitCode == 0
                ? Measurement.Parse(output)
                : Measurement.Failed($"{program} exited with {process.ExitCode}: {(await stderr).Trim()}");
        }
    }
}
