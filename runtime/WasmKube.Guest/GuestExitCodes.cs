namespace WasmKube.Guest;

/// <summary>
/// Exit codes of a guest run besides the guest's own, the same for <c>wasmkube run</c> and for a container, following
/// shell conventions so that users and kubelet read them alike.
/// </summary>
public static class GuestExitCodes
{
    /// <summary>The module is malformed or invalid, an import cannot be satisfied, or WASI could not be set up.</summary>
    public const int InvalidModule = 2;

    /// <summary>Stopped by the timeout (as coreutils timeout(1) reports it).</summary>
    public const int TimedOut = 124;

    /// <summary>The file exists but is not a WebAssembly core module (a shell's "cannot execute").</summary>
    public const int NotExecutable = 126;

    /// <summary>There is no module at the path (a shell's "command not found").</summary>
    public const int NotFound = 127;

    /// <summary>A trap, or fuel running out: 128 + SIGABRT, what a native program that aborts gives.</summary>
    public const int Trapped = 134;

    /// <summary>Stopped from outside by a signal: 128 + signal, as a native process would report.</summary>
    public static int Signalled(int signal) => 128 + signal;
}
