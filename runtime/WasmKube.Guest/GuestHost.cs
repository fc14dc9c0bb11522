using System.Diagnostics;
using WasmKube.Wasi;

namespace WasmKube.Guest;

/// <summary>
/// Runs a WASI command module the same way for <c>wasmkube run</c> and for a container's executor, whichever engine:
/// the same checks and messages for a module that cannot run, the same WASI, limits and deadlines, the same exit codes.
/// </summary>
public static class GuestHost
{
    /// <summary>Compiles, instantiates and runs <paramref name="request"/> on <paramref name="engine"/>.</summary>
    /// <param name="prepared">Sees the WASI context once built (its listener endpoints, its path-resolution mode).</param>
    public static GuestResult Run(IGuestEngine engine, GuestRequest request, Action<WasiContext>? prepared = null)
    {
        using var guest = Prepare(engine, request);
        return guest.Run(prepared);
    }

    /// <summary>
    /// Reads and compiles the module without running anything, so that a container can compile at Create and run at
    /// Start. A module that cannot run gives a guest whose <see cref="PreparedGuest.Run"/> reports why.
    /// </summary>
    public static PreparedGuest Prepare(IGuestEngine engine, GuestRequest request)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var module = Compile(engine, ModuleFile.Read(request.ModulePath, request.DisplayName), request.Name);
            return new PreparedGuest(engine, request, module, null, clock.Elapsed);
        }
        catch (ModuleFileException e)
        {
            return new PreparedGuest(engine, request, null, Refused(e.ExitCode, e.Message, clock.Elapsed), clock.Elapsed);
        }
        catch (GuestModuleException e)
        {
            return new PreparedGuest(engine, request, null, Refused(GuestExitCodes.InvalidModule, e.Message, clock.Elapsed), clock.Elapsed);
        }
    }

    /// <summary>Compiles only (through the engine's cache): what <c>wasmkube compile</c> does.</summary>
    /// <exception cref="ModuleFileException">The file is missing or not a module.</exception>
    /// <exception cref="GuestModuleException">The module is malformed or invalid.</exception>
    public static GuestModule Compile(IGuestEngine engine, string path) => Compile(engine, ModuleFile.Read(path), path);

    private static GuestModule Compile(IGuestEngine engine, byte[] bytes, string name)
    {
        try
        {
            return engine.Compile(bytes, Path.GetFileNameWithoutExtension(name));
        }
        catch (GuestModuleException e)
        {
            throw new GuestModuleException(e.Error, e.Error switch
            {
                GuestModuleError.Malformed => $"{name} is not a valid WebAssembly module: {e.Message}",
                GuestModuleError.Invalid => $"{name} fails validation: {e.Message}",
                GuestModuleError.Unsupported => $"{name} exceeds a limit of the {engine.Name} engine: {e.Message}",
                _ => $"{name}: {e.Message}",
            }, e);
        }
    }

    internal static GuestResult Execute(GuestModule module, GuestRequest request, WasiContext context, CancellationTokenSource stop,
        TimeSpan compileTime, int stackBytes)
    {
        var clock = Stopwatch.StartNew();
        GuestInstance instance;
        try
        {
            instance = module.Instantiate(new WasiPreview1(context), request.Limits);
        }
        catch (GuestModuleException e)
        {
            return Refused(GuestExitCodes.InvalidModule, $"{request.Name}: {e.Message} (wasmkube provides {WasiPreview1.ModuleName} only)", compileTime);
        }
        catch (GuestTrapException e)
        {
            return new GuestResult(GuestExitCodes.Trapped, GuestOutcome.Trapped, e.Message, new(compileTime, module.FromCache, clock.Elapsed, TimeSpan.Zero, 0));
        }

        var instantiateTime = clock.Elapsed;
        var timedOut = 0;
        var stillRunning = false;
        try
        {
            using var onStop = stop.Token.Register(instance.Interrupt);
            using var deadline = request.Timeout is { } timeout
                ? new Timer(_ =>
                {
                    Volatile.Write(ref timedOut, 1);
                    stop.Cancel();
                }, null, timeout, Timeout.InfiniteTimeSpan)
                : null;
            request.Started?.Invoke(instance);
            clock.Restart();
            var (exitCode, outcome, message, running) = RunOnGuestThread(instance, stackBytes, stop.Token);
            stillRunning = running;
            if (outcome != GuestOutcome.Exited && stop.IsCancellationRequested)
            {
                // An interrupt, or a WASI wait that saw the cancellation: say who stopped the guest.
                var byTimeout = Volatile.Read(ref timedOut) == 1;
                (exitCode, outcome, message) = byTimeout
                    ? (GuestExitCodes.TimedOut, GuestOutcome.TimedOut, $"{request.Name} was stopped after its timeout of {request.Timeout}")
                    : (exitCode, GuestOutcome.Stopped, $"{request.Name} was stopped");
            }

            var statistics = new GuestStatistics(compileTime, module.FromCache, instantiateTime, clock.Elapsed, instance.LinearMemoryBytes);
            return new GuestResult(exitCode, outcome, message, statistics) { GuestStillRunning = stillRunning };
        }
        finally
        {
            // A store still running code must stay: freeing it under the guest would crash the process.
            if (!stillRunning) instance.Dispose();
        }
    }

    /// <summary>
    /// Guests recurse deeply: run them on a thread whose stack is not the limit; the engine's own limit is. A guest
    /// that cannot be interrupted is waited for only until <paramref name="stop"/>, then left to the process's end.
    /// </summary>
    private static (int ExitCode, GuestOutcome Outcome, string? Message, bool StillRunning) RunOnGuestThread(GuestInstance instance, int stackBytes,
        CancellationToken stop)
    {
        (int, GuestOutcome, string?) result = default;
        Exception? failure = null;
        // Not disposed: a guest left running sets it when it ends.
        var done = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            try
            {
                instance.Run();
                result = (0, GuestOutcome.Exited, null);
            }
            catch (WasiExitException exit)
            {
                result = (exit.ExitCode, GuestOutcome.Exited, null);
            }
            catch (GuestTrapException trap)
            {
                result = (GuestExitCodes.Trapped, trap.Kind == GuestTrapKind.OutOfFuel ? GuestOutcome.OutOfFuel : GuestOutcome.Trapped, trap.Message);
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                done.Set();
            }
        }, stackBytes) { Name = "wasm guest", IsBackground = true };
        thread.Start();
        if (!instance.Interruptible && WaitHandle.WaitAny([done.WaitHandle, stop.WaitHandle]) == 1 && !done.IsSet)
        {
            return (GuestExitCodes.Trapped, GuestOutcome.Trapped, "wasm trap: interrupted", true);
        }

        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return (result.Item1, result.Item2, result.Item3, false);
    }

    internal static GuestResult Refused(int exitCode, string message, TimeSpan compileTime) =>
        new(exitCode, GuestOutcome.Refused, message, new(compileTime, false, TimeSpan.Zero, TimeSpan.Zero, 0));
}
