using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using WasmKube.Contracts;
using WasmKube.Guest;
using WasmKube.Wasi;

namespace WasmKube.Executor;

/// <summary>
/// <c>wasmkube-executor --config FILE</c>: runs one wasm process for the shim. Started at task Create (already in its
/// cgroup and namespaces), it compiles the module, waits for the task's Start, then runs the guest with exactly the
/// configured args, env and preopens on its own stdio. The engine is the executor binary's own.
/// </summary>
public static partial class ExecutorMain
{
    public const int UsageExitCode = 2;

    /// <summary>The contract's stop signals by the names .NET handles them under (its own shutdown logic keys on them).</summary>
    private static readonly PosixSignal[] HandledStopSignals = [.. StopSignals.Numbers.Select(NamedSignal)];

    /// <summary>Headroom for what the executor allocates while the guest runs (host buffers, code, GC growth).</summary>
    private const long HostHeadroomBytes = 16L << 20;

    /// <param name="createEngine">The executor's engine, given the compile cache directory and whether to meter fuel.</param>
    public static int Run(string[] args, string programName, Func<string?, bool, IGuestEngine> createEngine)
    {
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        if (args is not ["--config", var configPath])
        {
            stderr.WriteLine($"usage: {programName} --config FILE (started by containerd-shim-wasmkube-v1, not by hand)");
            return UsageExitCode;
        }

        ExecutorConfig config;
        try
        {
            config = ExecutorConfig.Load(configPath);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            stderr.WriteLine($"wasmkube: cannot read the executor configuration {configPath}: {e.Message}");
            return UsageExitCode;
        }

        // Fuel metering changes the compiled code, so the engine meters only when the workload sets fuel.
        using var engine = createEngine(UsableCacheDirectory(config.CacheDirectory), config.Fuel is not null);
        using var stop = new CancellationTokenSource();
        var stopSignal = 0;
        var guestRunning = 0;

        // Stop signals are handled from the start: a contained executor is often its PID namespace's init, which the
        // kernel spares from every signal it does not handle, so a SIGTERM during the compile would go unanswered.
        var registrations = HandledStopSignals.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            // Kill maps to guest interruption: the guest traps at its next loop head or call and the process exits
            // with 128 + signal; a guest that ignores it meets kubelet's SIGKILL after the grace period. Before the
            // guest runs there is nothing to interrupt: end at once, as the default action would (_exit: the runtime's
            // orderly shutdown could wait on the main thread, blocked reading the start FIFO).
            context.Cancel = true;
            var number = SignalNumber(context.Signal);
            Interlocked.CompareExchange(ref stopSignal, number, 0);
            if (Volatile.Read(ref guestRunning) == 0) _exit(GuestExitCodes.Signalled(number));
            stop.Cancel();
        })).ToList();
        UnblockStopSignals();
        var sinceStart = new Stopwatch();
        EngineStatsPublisher? stats = null;
        var started = false;
        var memoryCap = LinearMemoryCap(config);
        var request = Request(config, memoryCap?.Bytes, stop.Token) with
        {
            Started = instance =>
            {
                started = true;
                stats?.Started(instance, sinceStart.Elapsed.TotalSeconds);
            },
        };
        using var guest = GuestHost.Prepare(engine, request);
        var publish = config.EngineStatsFd is { } statsFd ? EngineStatsPublisher.ToPipe(statsFd)
            : config.EngineStatsFile is { } file ? EngineStatsPublisher.ToFile(file) : null;
        using (stats = publish is null ? null : new EngineStatsPublisher(publish, guest.CompileTime.TotalSeconds, engine.Name))
        {
            foreach (var fd in config.ReleaseBeforeStart) new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true).Dispose();
            WaitForStart(config.StartFifo);
            sinceStart.Start();
            Volatile.Write(ref guestRunning, 1);
            try
            {
                var result = guest.Run();
                var exitCode = result.Outcome == GuestOutcome.Stopped ? GuestExitCodes.Signalled(Volatile.Read(ref stopSignal)) : result.ExitCode;
                foreach (var line in Report(result, config, memoryCap, started)) stderr.WriteLine(line);
                stats?.Exited(EngineStatsPublisher.ExitReasonOf(result.Outcome), exitCode, result.Statistics.LinearMemoryBytes);
                return exitCode;
            }
            finally
            {
                foreach (var registration in registrations) registration.Dispose();
            }
        }
    }

    /// <summary>What the container's stderr says about the end of the run: nothing for a plain exit; a limit that ended it is named last.</summary>
    private static IEnumerable<string> Report(GuestResult result, ExecutorConfig config, MemoryCap? memoryCap, bool started)
    {
        switch (result.Outcome)
        {
            case GuestOutcome.Exited or GuestOutcome.Stopped:
                break;
            case GuestOutcome.Refused or GuestOutcome.Trapped when !started && memoryCap is { } tooSmall && IsMemoryLimitFailure(result.Message):
                // The engines refuse to instantiate a module whose initial memory exceeds the cap, each in its own words.
                yield return result.Outcome == GuestOutcome.Refused ? "wasmkube: " + result.Message : result.Message!;
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"wasmkube: the module's initial linear memory is more than its cap of {Mebibytes(tooSmall.Bytes)} ({tooSmall.Source}), so the guest cannot start; raise the cap");
                break;
            case GuestOutcome.Refused:
                yield return "wasmkube: " + InImageTerms(result, config);
                break;
            case GuestOutcome.TimedOut:
                yield return $"wasmkube: the guest was stopped after its timeout of {LimitValues.FormatDuration(config.Timeout!.Value)} ({PodAnnotations.Timeout})";
                break;
            case GuestOutcome.OutOfFuel:
                if (result.Message is { } fuelReport) yield return fuelReport;
                yield return string.Create(CultureInfo.InvariantCulture, $"wasmkube: the guest ran out of its fuel of {config.Fuel} units ({PodAnnotations.Fuel})");
                break;
            default:
                if (result.Message is { } report) yield return report;
                // A memory.grow past the cap returns -1; guests whose allocator then aborts trap. With linear memory
                // at half the cap or more, a doubling allocator's next grow would have crossed it: say so.
                if (memoryCap is { } cap && result.Statistics.LinearMemoryBytes * 2 >= cap.Bytes)
                {
                    yield return string.Create(CultureInfo.InvariantCulture,
                        $"wasmkube: linear memory was {Mebibytes(result.Statistics.LinearMemoryBytes)} of its cap of {Mebibytes(cap.Bytes)} ({cap.Source}); a memory.grow beyond the cap fails, which may be what made the guest trap");
                }

                break;
        }
    }

    private static bool IsMemoryLimitFailure(string? message) =>
        message is not null && message.Contains("memory", StringComparison.OrdinalIgnoreCase) && message.Contains("limit", StringComparison.OrdinalIgnoreCase);

    private static string Mebibytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.##} MiB");

    /// <summary>A module that is not there or not wasm is a fault of the image: say so in its terms.</summary>
    private static string InImageTerms(GuestResult refusal, ExecutorConfig config)
    {
        var shown = config.Entrypoint.Length > 0 ? config.Entrypoint : config.ModulePath;
        return refusal.ExitCode switch
        {
            GuestExitCodes.NotFound =>
                $"the entrypoint \"{shown}\" does not exist in the image; the image must hold the .wasm module at that path (check its ENTRYPOINT and the container's command)",
            GuestExitCodes.NotExecutable =>
                $"the entrypoint \"{shown}\" is neither a WebAssembly module nor a Linux executable ({refusal.Message}); build the image with a .wasm module as its entrypoint",
            _ => refusal.Message!,
        };
    }

    private static GuestRequest Request(ExecutorConfig config, long? memoryCapBytes, CancellationToken stop)
    {
        var wasi = new WasiConfiguration().WithArgs(config.Args).InheritStdio();
        foreach (var variable in config.Env)
        {
            var equals = variable.IndexOf('=');
            if (equals > 0) wasi.WithEnvironment(variable[..equals], variable[(equals + 1)..]);
        }

        foreach (var preopen in config.Preopens) wasi.WithPreopenedDirectory(preopen.HostPath, preopen.GuestPath, preopen.ReadOnly);
        foreach (var port in config.ListenPorts) wasi.WithTcpListener(new System.Net.IPEndPoint(System.Net.IPAddress.Any, port));
        return new GuestRequest
        {
            ModulePath = config.ModulePath,
            DisplayName = $"the entrypoint \"{(config.Entrypoint.Length > 0 ? config.Entrypoint : config.ModulePath)}\"",
            Wasi = wasi,
            Limits = new GuestLimits(memoryCapBytes, config.Fuel),
            Timeout = config.Timeout,
            Stop = stop,
        };
    }

    /// <summary>A cap on linear memory and what set it, for messages.</summary>
    private sealed record MemoryCap(long Bytes, string Source);

    /// <summary>
    /// The smaller of the workload's max-memory and what the container's memory limit leaves: the limit minus what
    /// this process already uses in the cgroup and some headroom, so that the guest sees memory.grow fail (a clean
    /// error or trap) before the kernel's OOM killer would end the process.
    /// </summary>
    private static MemoryCap? LinearMemoryCap(ExecutorConfig config)
    {
        MemoryCap? fromLimit = null;
        if (config.MemoryLimitBytes is { } limit)
        {
            long used = 0;
            try
            {
                if (config.MemoryUsageFile is { } file && long.TryParse(File.ReadAllText(file).Trim(), out var usage)) used = usage;
            }
            catch (IOException)
            {
            }

            fromLimit = new MemoryCap(Math.Max(64 * 1024, limit - used - HostHeadroomBytes), "the container's memory limit");
        }

        return config.MaxMemoryBytes is { } max && (fromLimit is null || max <= fromLimit.Bytes)
            ? new MemoryCap(max, PodAnnotations.MaxMemory)
            : fromLimit;
    }

    /// <summary>Blocks until the shim signals the task's Start by writing to the FIFO.</summary>
    private static void WaitForStart(string? fifo)
    {
        if (fifo is null) return;
        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        stream.ReadByte();
    }

    private static string? UsableCacheDirectory(string? directory)
    {
        if (directory is null) return null;
        try
        {
            Directory.CreateDirectory(directory);
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or missing cache only costs compile time.
            return null;
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial void _exit(int status);

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static unsafe partial int sigemptyset(byte* set);

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static unsafe partial int sigaddset(byte* set, int signal);

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static unsafe partial int pthread_sigmask(int how, byte* set, byte* old);

    /// <summary>
    /// A contained executor starts with the stop signals blocked (the shim keeps a kill during start-up pending
    /// rather than lost); once handled, they may come. A signal sent meanwhile is delivered now.
    /// </summary>
    private static unsafe void UnblockStopSignals()
    {
        const int SIG_UNBLOCK = 1;
        var set = stackalloc byte[128];
        sigemptyset(set);
        foreach (var signal in StopSignals.Numbers) sigaddset(set, signal);
        pthread_sigmask(SIG_UNBLOCK, set, null);
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => (int)signal,
    };

    private static PosixSignal NamedSignal(int number) => number switch
    {
        1 => PosixSignal.SIGHUP,
        2 => PosixSignal.SIGINT,
        3 => PosixSignal.SIGQUIT,
        15 => PosixSignal.SIGTERM,
        _ => throw new ArgumentOutOfRangeException(nameof(number), number, "not a stop signal .NET names"),
    };
}
