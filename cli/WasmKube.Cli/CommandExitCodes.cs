namespace WasmKube.Cli;

/// <summary>Exit codes of the wasmkube command itself; <c>run</c> otherwise exits with the guest's own (<see cref="WasmKube.Guest.GuestExitCodes"/>).</summary>
public static class CommandExitCodes
{
    /// <summary>An operation failed for a reason outside the input, e.g. a registry refused or could not be reached.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line or bad input: missing file, not a module, invalid module, unsatisfied import.</summary>
    public const int UsageError = 2;

    /// <summary>The guest was stopped by --timeout (as coreutils timeout(1) reports it).</summary>
    public const int Timeout = WasmKube.Guest.GuestExitCodes.TimedOut;

    /// <summary>The guest was stopped by a signal to wasmkube (128 + SIGINT; System.CommandLine reports SIGTERM as 143).</summary>
    public const int Interrupted = 130;
}
