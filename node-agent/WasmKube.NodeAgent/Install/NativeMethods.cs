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
}
