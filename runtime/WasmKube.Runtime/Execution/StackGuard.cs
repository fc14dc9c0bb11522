using System.Runtime.InteropServices;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// Finds how far down the current thread's stack compiled code may go. Compiled functions compare the stack pointer
/// with this limit at entry and trap with "call stack exhausted" instead of overflowing, which .NET cannot recover
/// from. The limit keeps a reserve for host functions, the runtime and exception dispatch.
/// </summary>
internal static unsafe partial class StackGuard
{
    private const nuint Reserve = 256 * 1024;

    // When the stack bounds are unknown, assume at least this much below the current frame (.NET threads get 1.5 MiB or more).
    private const nuint AssumedAvailable = 768 * 1024;

    [ThreadStatic]
    private static nuint _threadLimit;

    public static nuint LimitForCurrentThread()
    {
        if (_threadLimit != 0) return _threadLimit;
        byte marker;
        var here = (nuint)(&marker);
        nuint limit;
        if (TryGetStackLow(out var low) && low < here)
        {
            // Small stacks keep half of what is left as the reserve; large ones a sixteenth, at least Reserve.
            var remaining = here - low;
            limit = low + (remaining > 2 * Reserve ? Math.Max(Reserve, remaining / 16) : remaining / 2);
        }
        else
        {
            limit = here - AssumedAvailable + Reserve;
        }

        _threadLimit = limit;
        return limit;
    }

    private static bool TryGetStackLow(out nuint low)
    {
        low = 0;
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // pthread_attr_t is 56 bytes on 64-bit glibc and musl; leave room.
            var attr = stackalloc byte[256];
            if (PthreadGetAttr(PthreadSelf(), attr) != 0) return false;
            try
            {
                if (PthreadAttrGetStack(attr, out var address, out var size) != 0 || size == 0) return false;
                low = (nuint)address;
                return true;
            }
            finally
            {
                _ = PthreadAttrDestroy(attr);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "pthread_self")]
    private static partial nint PthreadSelf();

    [LibraryImport("libc", EntryPoint = "pthread_getattr_np")]
    private static partial int PthreadGetAttr(nint thread, byte* attr);

    [LibraryImport("libc", EntryPoint = "pthread_attr_getstack")]
    private static partial int PthreadAttrGetStack(byte* attr, out nint address, out nuint size);

    [LibraryImport("libc", EntryPoint = "pthread_attr_destroy")]
    private static partial int PthreadAttrDestroy(byte* attr);
}
