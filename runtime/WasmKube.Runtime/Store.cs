namespace WasmKube.Runtime;

/// <summary>
/// Per-guest state: limits, interruption and fuel, and host data (e.g. a WASI context). Instances, memories, tables,
/// globals and functions belong to one store. A store is used by one thread at a time, except
/// <see cref="Interrupt"/>, which any thread may call.
/// </summary>
public sealed class Store
{
    // Read by compiled code at every function entry and loop head; volatile so another thread's Interrupt() is seen.
    internal volatile int InterruptRequested;

    // Fuel left; compiled code decrements it when the engine meters fuel.
    internal long FuelLeft;

    // Calls left before "call stack exhausted"; reset to EngineOptions.MaxCallDepth by the outermost Func.Invoke.
    internal int CallDepthLeft;

    // Lowest stack address compiled code may reach; set by the outermost Func.Invoke from the thread's stack bounds.
    internal nuint StackLimit;

    // How many Func.Invoke calls of this store are running on the stack (host -> wasm -> host -> wasm nesting).
    internal int ActiveInvocations;

    public Store(Engine engine, object? data = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
        Data = data;
        CallDepthLeft = engine.Options.MaxCallDepth;
    }

    public Engine Engine { get; }

    /// <summary>Host data, available to host functions through <see cref="Caller.Store"/>.</summary>
    public object? Data { get; set; }

    /// <summary>Cap on any one linear memory of this store, in bytes (e.g. a pod's memory limit); growth past it fails as memory.grow's -1.</summary>
    public long? MemoryLimitBytes { get; set; }

    /// <summary>Fuel left when the engine meters fuel; running out traps with <see cref="TrapKind.OutOfFuel"/>.</summary>
    public long Fuel { get => Volatile.Read(ref FuelLeft); set => Volatile.Write(ref FuelLeft, value); }

    /// <summary>Makes code running in this store trap with <see cref="TrapKind.Interrupted"/> at its next loop head or call, within milliseconds.</summary>
    public void Interrupt() => InterruptRequested = 1;

    /// <summary>Clears a pending interruption so the store can run again.</summary>
    public void ResetInterrupt() => InterruptRequested = 0;
}
