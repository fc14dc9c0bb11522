using System.Runtime.InteropServices;

namespace WasmKube.Shim.Containment;

/// <summary>
/// Linux calls for building a container process (namespaces, mounts, credentials), beside the shim's
/// <see cref="Native.Libc"/> (mount, umount2, prctl, waitpid); raw where glibc has no wrapper.
/// </summary>
internal static unsafe partial class Sys
{
    public const int CLONE_NEWNS = 0x00020000;
    public const int CLONE_NEWCGROUP = 0x02000000;
    public const int CLONE_NEWUTS = 0x04000000;
    public const int CLONE_NEWIPC = 0x08000000;
    public const int CLONE_NEWPID = 0x20000000;
    public const int CLONE_NEWNET = 0x40000000;
    public const int CLONE_FS = 0x00000200;

    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_APPEND = 0x400;
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;
    public const int AT_FDCWD = -100;

    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_IN_ROOT = 0x10;

    public const uint OPEN_TREE_CLONE = 1;
    public const uint OPEN_TREE_CLOEXEC = O_CLOEXEC;

    public const int F_SETFD = 2;
    public const int FD_CLOEXEC = 1;

    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_RAISE = 2;

    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int ENOSYS = 38;

    // Syscall numbers without a glibc wrapper in glibc 2.36. open_tree and openat2 share one number on every
    // architecture (added after the tables were unified, Linux 5.2 / 5.6).
    private static long SysPivotRoot => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 41 : 155;
    private const long SysOpenTree = 428;
    private const long SysOpenat2 = 437;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long a1, long a2, long a3, long a4);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirfd, string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(int dirfd, string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknodat(int dirfd, string path, uint mode, ulong dev);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchownat(int dirfd, string path, uint uid, uint gid, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chdir(string path);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int dup2(int oldfd, int newfd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sethostname(string name, nint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setrlimit(int resource, ulong* limits);

    [LibraryImport("libc")]
    public static partial uint umask(uint mask);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setgroups(nint count, uint* groups);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setresgid(uint real, uint effective, uint saved);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setresuid(uint real, uint effective, uint saved);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int capset(uint* header, uint* data);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int execve(byte* path, byte** argv, byte** envp);

    public static int PivotRoot(string newRoot, string putOld)
    {
        var a = Marshal.StringToCoTaskMemUTF8(newRoot);
        var b = Marshal.StringToCoTaskMemUTF8(putOld);
        try
        {
            return (int)syscall(SysPivotRoot, a, b, 0, 0);
        }
        finally
        {
            Marshal.FreeCoTaskMem(a);
            Marshal.FreeCoTaskMem(b);
        }
    }

    /// <summary>A detached copy of the one mount at <paramref name="path"/>, without the mounts beneath it.</summary>
    public static int OpenTreeClone(string path)
    {
        var p = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            return (int)syscall(SysOpenTree, AT_FDCWD, p, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC, 0);
        }
        finally
        {
            Marshal.FreeCoTaskMem(p);
        }
    }

    public static int Openat2(int dirfd, string path, int flags, ulong resolve)
    {
        var p = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            var how = new OpenHow { Flags = (ulong)flags, Resolve = resolve };
            return (int)syscall(SysOpenat2, dirfd, p, (long)&how, sizeof(OpenHow));
        }
        finally
        {
            Marshal.FreeCoTaskMem(p);
        }
    }

    public static int Errno => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>Throws <see cref="ContainmentException"/> naming the step when <paramref name="result"/> is negative.</summary>
    public static int Check(long result, string step)
    {
        if (result < 0) throw new ContainmentException($"{step}: {Describe(Errno)}");
        return (int)result;
    }
}

/// <summary>A step of containing the executor failed; the message names the step and the system error.</summary>
internal sealed class ContainmentException(string message) : Exception(message);
