namespace WasmKube.Executor;

/// <summary>Exit codes of the executor besides the guest's own (shell conventions, so kubelet and users read them alike).</summary>
internal static class ExitCodes
{
    /// <summary>The module is invalid, or the WASI context could not be built.</summary>
    public const int InvalidModule = 1;

    public const int Usage = 2;

    /// <summary>The entrypoint exists but is neither wasm nor a native executable (like a shell's "cannot execute").</summary>
    public const int NotExecutable = 126;

    /// <summary>The entrypoint is not in the image (like a shell's "command not found").</summary>
    public const int NotFound = 127;

    /// <summary>A guest ended by a signal reports 128 + signal, as a native process would.</summary>
    public static int Signalled(int signal) => 128 + signal;
}
