namespace WasmKube.Wasi;

/// <summary>
/// <c>proc_exit</c> was called: the guest ends with <see cref="ExitCode"/>. Engine bindings let it unwind through the
/// guest's frames and report the code as the guest's exit status.
/// </summary>
public sealed class WasiExitException(int exitCode) : Exception($"the guest called proc_exit({exitCode})")
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Why a WASI call ended the guest instead of returning an errno.</summary>
public enum WasiTrapKind
{
    /// <summary>A pointer or length argument reaches outside the guest's linear memory.</summary>
    MemoryOutOfBounds,

    /// <summary>The context was cancelled while the guest waited in a blocking call.</summary>
    Interrupted,

    /// <summary>The guest exports no memory named "memory", which every WASI call needs.</summary>
    NoMemory,
}

/// <summary>
/// A WASI call that must end the guest like a trap of its own would (an out-of-bounds pointer is what a load or store
/// at that address would be). Engine bindings report it as a trap with this message.
/// </summary>
public sealed class WasiTrapException(WasiTrapKind kind, string message) : Exception(message)
{
    public WasiTrapKind Kind { get; } = kind;
}
