using System.Runtime.InteropServices;
using WasmKube.Runtime;
using WasmKube.Shim.Contract;
using WasmKube.Wasi;

namespace WasmKube.Executor;

/// <summary>
/// The engine boundary: everything here knows only "run this module with this WASI context". Compilation happens
/// in <see cref="Prepare"/> (before Start, through the engine's on-disk cache), guest code only in <see cref="Run"/>.
/// </summary>
internal sealed class GuestRunner
{
    private static readonly PosixSignal[] StopSignals = [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];
    private readonly ExecutorConfig _config;
    private readonly Engine _engine;
    private readonly Module _module;

    private GuestRunner(ExecutorConfig config, Engine engine, Module module, double compileSeconds)
    {
        _config = config;
        _engine = engine;
        _module = module;
        CompileSeconds = compileSeconds;
    }

    /// <summary>Time to load the module: decode, validate and compile it, or read it from the compile cache.</summary>
    public double CompileSeconds { get; }

    public static (GuestRunner? Runner, PreparationError? Error) Prepare(ExecutorConfig config)
    {
        var shown = config.Entrypoint.Length > 0 ? config.Entrypoint : config.ModulePath;
        if (config.ModulePath.Length == 0 || !File.Exists(config.ModulePath))
        {
            return (null, new PreparationError(
                $"wasmkube: the entrypoint \"{shown}\" does not exist in the image; the image must hold the .wasm module at that path (check its ENTRYPOINT and the container's command)",
                ExitCodes.NotFound));
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(config.ModulePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new PreparationError($"wasmkube: cannot read the entrypoint \"{shown}\": {e.Message}", ExitCodes.NotExecutable));
        }

        if (!bytes.AsSpan().StartsWith("\0asm"u8))
        {
            return (null, new PreparationError(
                $"wasmkube: the entrypoint \"{shown}\" is neither a WebAssembly module (it does not start with \"\\0asm\") nor a Linux executable; build the image with a .wasm module as its entrypoint",
                ExitCodes.NotExecutable));
        }

        try
        {
            var engine = new Engine(new EngineOptions { CacheDirectory = UsableCacheDirectory(config.CacheDirectory) });
            var compile = System.Diagnostics.Stopwatch.StartNew();
            var module = Module.FromBytes(engine, bytes, Path.GetFileName(config.ModulePath));
            return (new GuestRunner(config, engine, module, compile.Elapsed.TotalSeconds), null);
        }
        catch (WasmException e)
        {
            return (null, new PreparationError($"wasmkube: the entrypoint \"{shown}\" is not a valid WebAssembly module: {e.Message}", ExitCodes.InvalidModule));
        }
        catch (Exception e)
        {
            // Anything else is an engine fault; report it in the container's log instead of aborting silently.
            return (null, new PreparationError($"wasmkube: the engine failed to compile \"{shown}\": {e.GetType().Name}: {e.Message}", ExitCodes.InvalidModule));
        }
    }

    /// <summary>
    /// Runs _start; returns the guest's exit code, 134 after a trap, 128 + signal when stopped by a signal.
    /// <paramref name="sinceStart"/> runs from the task's Start, for the published start latency.
    /// </summary>
    public int Run(TextWriter stderr, System.Diagnostics.Stopwatch sinceStart)
    {
        var store = new Store(_engine) { MemoryLimitBytes = LinearMemoryCap() };
        using var stop = new CancellationTokenSource();
        var stopSignal = 0;
        var registrations = StopSignals.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            // Kill maps to guest interruption: the guest traps at its next loop head or call and the process exits
            // with 128 + signal; a guest that ignores it meets kubelet's SIGKILL after the grace period.
            context.Cancel = true;
            Interlocked.CompareExchange(ref stopSignal, SignalNumber(context.Signal), 0);
            stop.Cancel();
            store.Interrupt();
        })).ToList();
        try
        {
            WasiContext context;
            try
            {
                context = BuildContext(stop.Token);
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"wasmkube: cannot prepare the guest's WASI environment: {e.Message}");
                return ExitCodes.InvalidModule;
            }

            using (context)
            using (var stats = _config.EngineStatsFile is { } statsFile ? new EngineStatsPublisher(statsFile, CompileSeconds) : null)
            {
                var diagnostics = new StringWriter();
                int code;
                try
                {
                    code = WasiCommand.Run(store, _module, context, diagnostics, instantiated: instance => stats?.Started(instance, sinceStart.Elapsed.TotalSeconds));
                }
                catch (Exception e) when (e is LinkException or ArgumentException)
                {
                    stderr.WriteLine($"wasmkube: cannot run \"{_config.Entrypoint}\": {e.Message}");
                    return ExitCodes.InvalidModule;
                }

                var signal = Volatile.Read(ref stopSignal);
                if (signal != 0 && code == WasiCommand.TrapExitCode)
                {
                    return ExitCodes.Signalled(signal);
                }

                stderr.Write(diagnostics.ToString());
                return code;
            }
        }
        finally
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    /// <summary>Headroom for what the executor allocates while the guest runs (host buffers, code, GC growth).</summary>
    private const long HostHeadroomBytes = 16L << 20;

    /// <summary>
    /// The container's memory limit minus what this process already uses in the cgroup and some headroom: the
    /// guest then sees memory.grow fail (a clean error or trap) before the kernel's OOM killer would end the process.
    /// </summary>
    private long? LinearMemoryCap()
    {
        if (_config.MemoryLimitBytes is not { } limit)
        {
            return null;
        }

        long used = 0;
        try
        {
            if (_config.MemoryUsageFile is { } file && long.TryParse(File.ReadAllText(file).Trim(), out var usage))
            {
                used = usage;
            }
        }
        catch (IOException)
        {
        }

        return Math.Max(64 * 1024, limit - used - HostHeadroomBytes);
    }

    private WasiContext BuildContext(CancellationToken stop)
    {
        var configuration = new WasiConfiguration()
            .WithArgs(_config.Args)
            .InheritStdio()
            .WithCancellation(stop);
        foreach (var variable in _config.Env)
        {
            var equals = variable.IndexOf('=');
            if (equals > 0)
            {
                configuration.WithEnvironment(variable[..equals], variable[(equals + 1)..]);
            }
        }

        foreach (var preopen in _config.Preopens)
        {
            configuration.WithPreopenedDirectory(preopen.HostPath, preopen.GuestPath, preopen.ReadOnly);
        }

        foreach (var port in _config.ListenPorts)
        {
            configuration.WithTcpListener(new System.Net.IPEndPoint(System.Net.IPAddress.Any, port));
        }

        try
        {
            return configuration.Build();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new IOException($"cannot listen on ports {string.Join(", ", _config.ListenPorts)} for the guest ({e.Message}); another container of the pod may use one", e);
        }
    }

    private static string? UsableCacheDirectory(string? directory)
    {
        if (directory is null)
        {
            return null;
        }

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

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => (int)signal,
    };
}
