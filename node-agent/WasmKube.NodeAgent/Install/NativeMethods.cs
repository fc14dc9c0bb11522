using System.Runtime.InteropServices;

namespace WasmKube.NodeAgent.Install;

internal static partial class NativeMethods
{
    /// <summary>
    /// rename(2) of the entry itself: File.Move resolves a symbolic link to its target, so it cannot replace a link
    /// with another one in a single step.
    /// </summary>
    public static void Rename(string source, string destination)
    {
        if (rename(source, destination) != 0)
            throw new IOException($"cannot rename {source} to {destination}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string oldpath, string newpath);

    /// <summary>
    /// Opens a file for reading without ever blocking: a FIFO planted where a file is expected opens at once and
    /// reads nothing, instead of holding the caller until someone writes.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenNonBlocking(string path)
    {
        const int O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
        var fd = open(path, O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0)
            throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);
}
