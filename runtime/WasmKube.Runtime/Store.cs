namespace WasmKube.Runtime;

/// <summary>
/// Per-guest state: limits, interruption and fuel, and host data (e.g. a WASI context). Instances, memories, tables,
/// globals and functions belong to one store. A store is used by one thread at a time, except
/// <see cref="Interrupt"/>, which any thread may call.
/// </summary>
public sealed class Store
{
    public Store(Engine engine, object? data = null) => throw new NotImplementedException();

    public Engine Engine => throw new NotImplementedException();

    /// <summary>Host data, available to host functions through <see cref="Caller.Store"/>.</summary>
    public object? Data { get; set; }

    /// <summary>Cap on any one linear memory of this store, in bytes (e.g. a pod's memory limit); growth past it fails as memory.grow's -1.</summary>
    public long? MemoryLimitBytes { get; set; }

    /// <summary>Fuel left when the engine meters fuel; running out traps with <see cref="TrapKind.OutOfFuel"/>.</summary>
    public long Fuel { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }

    /// <summary>Makes code running in this store trap with <see cref="TrapKind.Interrupted"/> at its next loop head or call, within milliseconds.</summary>
    public void Interrupt() => throw new NotImplementedException();

    /// <summary>Clears a pending interruption so the store can run again.</summary>
    public void ResetInterrupt() => throw new NotImplementedException();
}
