using WasmKube.Shim.Contract;

namespace WasmKube.Executor;

/// <summary>
/// wasmkube-executor --config FILE: runs one wasm process for the shim. Started at task Create (already in its cgroup
/// and namespaces), it compiles the module, waits for the task's Start, then runs the guest with exactly the
/// configured args, env and preopens on its own stdio.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        if (args is not ["--config", var configPath])
        {
            stderr.WriteLine("usage: wasmkube-executor --config FILE (started by containerd-shim-wasmkube-v1, not by hand)");
            return ExitCodes.Usage;
        }

        ExecutorConfig config;
        try
        {
            config = ExecutorConfig.Load(configPath);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            stderr.WriteLine($"wasmkube: cannot read the executor configuration {configPath}: {e.Message}");
            return ExitCodes.Usage;
        }

        var prepared = GuestRunner.Prepare(config);
        WaitForStart(config.StartFifo);
        var sinceStart = System.Diagnostics.Stopwatch.StartNew();
        if (prepared.Error is { } error)
        {
            stderr.WriteLine(error.Message);
            return error.ExitCode;
        }

        return prepared.Runner!.Run(stderr, sinceStart);
    }

    /// <summary>Blocks until the shim signals the task's Start by writing to the FIFO.</summary>
    private static void WaitForStart(string? fifo)
    {
        if (fifo is null)
        {
            return;
        }

        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        stream.ReadByte();
    }
}
