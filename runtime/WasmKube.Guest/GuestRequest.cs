using WasmKube.Wasi;

namespace WasmKube.Guest;

/// <summary>One run of a WASI command module.</summary>
public sealed record GuestRequest
{
    /// <summary>Host path of the .wasm module.</summary>
    public required string ModulePath { get; init; }

    /// <summary>How the module is named in messages (e.g. the container's entrypoint as written); the path by default.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Everything the guest sees: args, environment, preopened directories and listeners, stdio.</summary>
    public required WasiConfiguration Wasi { get; init; }

    public GuestLimits Limits { get; init; } = new();

    /// <summary>Wall-clock time after which the guest is stopped (<see cref="GuestOutcome.TimedOut"/>).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Stops the guest from outside (a signal to the process): <see cref="GuestOutcome.Stopped"/>.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>Called with the instance once it exists, before <c>_start</c> runs (statistics publishers).</summary>
    public Action<GuestInstance>? Started { get; init; }

    internal string Name => DisplayName ?? ModulePath;
}

public enum GuestOutcome
{
    /// <summary><c>_start</c> returned (0) or the guest called proc_exit.</summary>
    Exited,

    Trapped,

    /// <summary>Stopped by <see cref="GuestRequest.Timeout"/>.</summary>
    TimedOut,

    /// <summary>Stopped by <see cref="GuestRequest.Stop"/>.</summary>
    Stopped,

    OutOfFuel,

    /// <summary>Never ran: the module is missing, not WebAssembly, invalid, or its imports or WASI setup failed.</summary>
    Refused,
}

/// <summary>How long each phase took and what the guest used.</summary>
public sealed record GuestStatistics(TimeSpan CompileTime, bool CompiledFromCache, TimeSpan InstantiateTime, TimeSpan RunTime, long LinearMemoryBytes);

/// <summary>The outcome of a run. <see cref="Message"/> explains every outcome but a plain exit: the refusal, or the trap report.</summary>
public sealed record GuestResult(int ExitCode, GuestOutcome Outcome, string? Message, GuestStatistics Statistics)
{
    /// <summary>
    /// The guest was stopped but cannot be interrupted (<see cref="GuestInstance.Interruptible"/>): it still computes
    /// on its own background thread, with its instance and WASI context left open (every WASI call it makes now
    /// traps). Only a process that ends with its guest uses such an engine; it ends now.
    /// </summary>
    public bool GuestStillRunning { get; init; }
}
