#if NATIVE_FRONT
using System.Runtime.InteropServices;

namespace WasmKube.Cli;

/// <summary>
/// The framework-dependent build of this program under <c>jit/</c>, beside the NativeAOT one. Our own engine compiles
/// wasm to CIL for the JIT, which a NativeAOT program has not: its runs and compiles are handed to that build.
/// </summary>
internal static partial class JitProgram
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "jit", "wasmkube");

    /// <summary>Replaces this process with the JIT build, same arguments; returns only when that cannot start.</summary>
    public static int Exec(string[] args, TextWriter error)
    {
        execv(Path, [Path, .. args, null]);
        error.WriteLine($"wasmkube: the {Engines.Own} engine needs {Path} and the .NET runtime, and it could not start: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return CommandExitCodes.Failure;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execv(string path, string?[] argv);
}
#endif
