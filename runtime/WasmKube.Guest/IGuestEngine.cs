using WasmKube.Wasi;

namespace WasmKube.Guest;

/// <summary>
/// A WebAssembly engine behind the guest host. Implementations: Wasmtime (<c>wasmtime</c>, the default: native code,
/// no JIT of .NET needed) and our own wasm-to-CIL compiler (<c>wasmkube</c>). Both bind the same WASI
/// (<see cref="WasiImports"/>), so a guest sees the same sandbox on either.
/// </summary>
public interface IGuestEngine : IDisposable
{
    /// <summary>The name users select it by: <c>wasmtime</c> or <c>wasmkube</c>.</summary>
    string Name { get; }

    /// <summary>Engine and version, as it keys compile caches and shows in diagnostics.</summary>
    string Version { get; }

    /// <summary>Stack size for the thread that runs guest code (deep guest recursion must trap, not crash).</summary>
    int GuestThreadStackBytes { get; }

    /// <summary>Decodes, validates and compiles, through the engine's compile cache when it has one.</summary>
    /// <exception cref="GuestModuleException">The module is malformed or invalid.</exception>
    GuestModule Compile(ReadOnlyMemory<byte> bytes, string name);
}

/// <summary>A compiled module, ready to instantiate.</summary>
public abstract class GuestModule : IDisposable
{
    /// <summary>Whether the compiled code came from the on-disk cache.</summary>
    public bool FromCache { get; init; }

    /// <summary>What the compiled code is, for people ("Cranelift native code", "ReadyToRun native code", "IL only").</summary>
    public string? Description { get; init; }

    /// <summary>Whether the module exports a function named <c>_start</c> (a WASI command).</summary>
    public abstract bool ExportsStart { get; }

    /// <summary>Links WASI and the limits, instantiates, and runs no guest code beyond the module's start function.</summary>
    /// <exception cref="GuestModuleException">An import is neither WASI nor satisfiable.</exception>
    /// <exception cref="GuestTrapException">Instantiation trapped (a data segment out of bounds, the start function).</exception>
    public abstract GuestInstance Instantiate(WasiPreview1 wasi, GuestLimits limits);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>What the engine enforces on one instance.</summary>
/// <param name="MemoryLimitBytes">Linear memory beyond this fails to grow (memory.grow returns -1).</param>
/// <param name="Fuel">Instructions metered: running out traps. Needs an engine created with fuel metering.</param>
public sealed record GuestLimits(long? MemoryLimitBytes = null, long? Fuel = null);

/// <summary>One instance of a guest.</summary>
public abstract class GuestInstance : IDisposable
{
    /// <summary>Runs <c>_start</c> on the calling thread.</summary>
    /// <exception cref="WasiExitException">The guest called proc_exit.</exception>
    /// <exception cref="GuestTrapException">The guest trapped, was interrupted or ran out of fuel.</exception>
    public abstract void Run();

    /// <summary>Makes running guest code trap soon (at its next loop head or call); callable from any thread, sticky.</summary>
    public abstract void Interrupt();

    /// <summary>
    /// False when the engine compiled no interruption checks: <see cref="Interrupt"/> does nothing, and a stopped
    /// guest's thread is left running (see <see cref="GuestResult.GuestStillRunning"/>).
    /// </summary>
    public virtual bool Interruptible => true;

    /// <summary>The current size of the exported linear memory named "memory" (0 without one).</summary>
    public abstract long LinearMemoryBytes { get; }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>Why a module cannot run.</summary>
public enum GuestModuleError
{
    /// <summary>Not a well-formed binary (a decode error).</summary>
    Malformed,

    /// <summary>Well-formed but fails validation.</summary>
    Invalid,

    /// <summary>An import no definition satisfies.</summary>
    Link,

    /// <summary>Within the spec but beyond what the engine accepts (its implementation limits).</summary>
    Unsupported,
}

public sealed class GuestModuleException(GuestModuleError error, string message, Exception? inner = null) : Exception(message, inner)
{
    public GuestModuleError Error { get; } = error;
}

public enum GuestTrapKind
{
    /// <summary>The guest's own trap (unreachable, out of bounds, division by zero, stack exhausted, ...).</summary>
    Trap,

    /// <summary><see cref="GuestInstance.Interrupt"/> took effect.</summary>
    Interrupted,

    OutOfFuel,
}

/// <summary>A trap, with the engine's report: the message and the wasm backtrace, one frame a line.</summary>
public sealed class GuestTrapException(GuestTrapKind kind, string report, Exception? inner = null) : Exception(report, inner)
{
    public GuestTrapKind Kind { get; } = kind;
}
