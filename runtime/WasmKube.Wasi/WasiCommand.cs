using WasmKube.Runtime;

namespace WasmKube.Wasi;

/// <summary>Runs a WASI command module (one exporting <c>_start</c>) and turns its outcome into a process exit code.</summary>
public static class WasiCommand
{
    /// <summary>The exit code of a guest that trapped: 128 + SIGABRT, what a native program that aborts gives.</summary>
    public const int TrapExitCode = 134;

    /// <summary>
    /// Instantiates <paramref name="module"/> with WASI from <paramref name="context"/> and runs <c>_start</c>.
    /// Returns 0 when <c>_start</c> returns, n for <c>proc_exit(n)</c>, and <see cref="TrapExitCode"/> for a trap, whose
    /// message and wasm backtrace go to <paramref name="diagnostics"/>. Link errors propagate as <see cref="LinkException"/>.
    /// <paramref name="instantiated"/> sees the instance after instantiation, before <c>_start</c> runs.
    /// </summary>
    public static int Run(Store store, Module module, WasiContext context, TextWriter diagnostics, Linker? linker = null, Action<Instance>? instantiated = null)
    {
        linker ??= new Linker();
        linker.DefineWasi(store, context);
        if (module.Exports.All(e => e.Name != "_start"))
            throw new ArgumentException("the module exports no _start function: it is not a WASI command (a reactor or library cannot be run)", nameof(module));
        try
        {
            var instance = linker.Instantiate(store, module);
            instantiated?.Invoke(instance);
            var start = instance.GetFunction("_start")
                ?? throw new ArgumentException("the module's _start export is not a function", nameof(module));
            start.Invoke();
            return 0;
        }
        catch (ExitException exit)
        {
            return exit.ExitCode;
        }
        catch (TrapException trap) when (trap.InnerException is ExitException exit)
        {
            return exit.ExitCode;
        }
        catch (TrapException trap)
        {
            diagnostics.WriteLine(trap.Describe());
            if (trap.InnerException is { } cause && trap.Kind == TrapKind.HostError)
                diagnostics.WriteLine($"caused by: {cause.GetType().Name}: {cause.Message}");
            diagnostics.Flush();
            return TrapExitCode;
        }
    }
}
