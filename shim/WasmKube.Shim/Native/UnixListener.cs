using System.Runtime.InteropServices;
using System.Text;

namespace WasmKube.Shim.Native;

/// <summary>
/// A listening Unix socket as a bare descriptor, for handing over to another process. A .NET Socket that bound a path
/// unlinks it when disposed, which would take the path away from the process it was handed to.
/// </summary>
internal static unsafe partial class UnixListener
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int SunPathBytes = 108;

    /// <summary>Binds <paramref name="path"/> (mode 0600) and listens on it; the descriptor is close-on-exec.</summary>
    public static int Listen(string path, int backlog)
    {
        var pathBytes = Encoding.UTF8.GetBytes(path);
        if (pathBytes.Length >= SunPathBytes) throw new IOException($"socket path {path} is longer than {SunPathBytes - 1} bytes");
        var fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw Failure("socket", path);
        var address = stackalloc byte[2 + SunPathBytes];
        new Span<byte>(address, 2 + SunPathBytes).Clear();
        *(ushort*)address = AF_UNIX;
        pathBytes.CopyTo(new Span<byte>(address + 2, SunPathBytes));
        if (bind(fd, address, 2 + pathBytes.Length + 1) < 0 || chmod(path, 0x180) < 0 || listen(fd, backlog) < 0)
        {
            var error = Failure("listen on", path);
            Close(fd);
            throw error;
        }

        return fd;
    }

    public static void Close(int fd) => close(fd);

    private static IOException Failure(string step, string path) => new($"{step} {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int listen(int fd, int backlog);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chmod(string path, uint mode);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
