using WasmKube.Guest;

namespace WasmKube.Executor;

/// <summary>
/// Why a guest's run ended, as the executor writes it into the engine statistics (<c>exitReason</c>, see
/// shim/README.md) for node agents to label exits with.
/// </summary>
internal static class ExitReasons
{
    /// <summary>The guest returned from <c>_start</c> or called proc_exit: the exit code is its own.</summary>
    public const string Exited = "exited";

    /// <summary>A trap (unreachable, out of bounds, stack exhausted, …).</summary>
    public const string Trap = "trap";

    /// <summary>The fuel of <c>wasmkube.io/fuel</c> ran out.</summary>
    public const string OutOfFuel = "out-of-fuel";

    /// <summary>The timeout of <c>wasmkube.io/timeout</c> ended the run.</summary>
    public const string Timeout = "timeout";

    /// <summary>Stopped by a signal (a task kill).</summary>
    public const string Signal = "signal";

    /// <summary>Never ran: the module is missing, not WebAssembly, invalid, or cannot be linked.</summary>
    public const string Refused = "refused";

    public static string Of(GuestOutcome outcome) => outcome switch
    {
        GuestOutcome.Exited => Exited,
        GuestOutcome.Trapped => Trap,
        GuestOutcome.OutOfFuel => OutOfFuel,
        GuestOutcome.TimedOut => Timeout,
        GuestOutcome.Stopped => Signal,
        _ => Refused,
    };
}
