namespace WasmKube.Contracts;

/// <summary>
/// Why a guest's run ended, as the executor writes it into the engine statistics (<see cref="EngineStats.ExitReason"/>)
/// and the node agent labels exits with.
/// </summary>
public static class ExitReasons
{
    /// <summary>The guest returned from <c>_start</c> or called proc_exit: the exit code is its own.</summary>
    public const string Exited = "exited";

    /// <summary>A trap (unreachable, out of bounds, stack exhausted, …).</summary>
    public const string Trap = "trap";

    /// <summary>The fuel of <see cref="PodAnnotations.Fuel"/> ran out.</summary>
    public const string OutOfFuel = "out-of-fuel";

    /// <summary>The timeout of <see cref="PodAnnotations.Timeout"/> ended the run.</summary>
    public const string Timeout = "timeout";

    /// <summary>Stopped by a signal (a task kill).</summary>
    public const string Signal = "signal";

    /// <summary>Never ran: the module is missing, not WebAssembly, invalid, or cannot be linked.</summary>
    public const string Refused = "refused";
}
