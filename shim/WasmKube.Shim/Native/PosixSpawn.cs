using System.Runtime.InteropServices;

namespace WasmKube.Shim.Native;

/// <summary>
/// glibc's posix_spawn: a vfork-and-exec that never runs managed code in the child, which is the only safe way for a
/// multithreaded (and NativeAOT) process to start a program with its own descriptors, signals or session.
/// The attribute and file-action objects are opaque; <see cref="ObjectBytes"/> is more than glibc's sizes (80, 336).
/// </summary>
internal static unsafe partial class PosixSpawn
{
    /// <summary>The child calls setsid (glibc 2.26+).</summary>
    public const short SETSID = 0x80;

    /// <summary>Where <see cref="StartDetached"/> puts the descriptor it hands over: the first after stdio.</summary>
    public const int HandedOverFd = 3;

    private const int ObjectBytes = 1024;
    private const short SETSIGDEF = 0x04;
    private const short SETSIGMASK = 0x08;
    private const int O_RDWR = 2;
    private const int F_DUPFD_CLOEXEC = 1030;

    /// <summary>What the child does to its descriptors before the exec, in order.</summary>
    public sealed class FileActions(void* actions)
    {
        public void Open(int fd, string path, int flags, uint mode) => posix_spawn_file_actions_addopen(actions, fd, path, flags, mode);

        public void Dup2(int fd, int target) => posix_spawn_file_actions_adddup2(actions, fd, target);
    }

    /// <summary>
    /// Starts <paramref name="path"/> with every signal at its default disposition and only <paramref name="blocked"/>
    /// blocked, after the descriptor actions <paramref name="files"/> adds; <paramref name="flags"/> adds to that
    /// (<see cref="SETSID"/>). Returns 0 and the pid, or the error number.
    /// </summary>
    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, Action<FileActions> files, short flags,
        IEnumerable<int> blocked, out int pid)
    {
        var actions = NativeMemory.AllocZeroed(ObjectBytes);
        var attributes = NativeMemory.AllocZeroed(ObjectBytes);
        var signals = NativeMemory.AllocZeroed(256);
        try
        {
            posix_spawn_file_actions_init(actions);
            files(new FileActions(actions));
            posix_spawnattr_init(attributes);
            posix_spawnattr_setflags(attributes, (short)(flags | SETSIGDEF | SETSIGMASK));
            sigfillset(signals);
            posix_spawnattr_setsigdefault(attributes, signals);
            sigemptyset(signals);
            foreach (var signal in blocked) sigaddset(signals, signal);
            posix_spawnattr_setsigmask(attributes, signals);
            using var file = new NativeStrings([path]);
            using var arguments = new NativeStrings(argv);
            using var env = new NativeStrings(environment);
            var child = 0;
            var error = posix_spawn(&child, file.Pointers[0], actions, attributes, arguments.Pointers, env.Pointers);
            pid = child;
            return error;
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            posix_spawnattr_destroy(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
        }
    }

    /// <summary>
    /// Starts <paramref name="argv"/>[0] with this process's environment in a session of its own, stdio on /dev/null,
    /// <paramref name="handedOver"/> at <see cref="HandedOverFd"/>, default signal dispositions and no blocked
    /// signals; returns its pid. Nothing waits for it: once the caller exits, it is reparented like any orphan.
    /// </summary>
    public static int StartDetached(IReadOnlyList<string> argv, int handedOver)
    {
        // dup2 onto itself would keep close-on-exec; a copy above the target makes it a real dup2.
        var source = handedOver == HandedOverFd ? fcntl(handedOver, F_DUPFD_CLOEXEC, HandedOverFd + 1) : handedOver;
        if (source < 0) throw new InvalidOperationException($"could not hand over descriptor {handedOver}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        try
        {
            var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList();
            var error = Spawn(argv[0], argv, environment, files =>
            {
                for (var fd = 0; fd <= 2; fd++) files.Open(fd, "/dev/null", O_RDWR, 0);
                files.Dup2(source, HandedOverFd);
            }, SETSID, [], out var pid);
            if (error != 0) throw new InvalidOperationException($"could not start {argv[0]}: {Marshal.GetPInvokeErrorMessage(error)}");
            return pid;
        }
        finally
        {
            if (source != handedOver) close(source);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(void* actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport("libc")]
    private static partial int sigemptyset(void* set);

    [LibraryImport("libc")]
    private static partial int sigfillset(void* set);

    [LibraryImport("libc")]
    private static partial int sigaddset(void* set, int signal);

    [LibraryImport("libc")]
    private static partial int posix_spawn(int* pid, byte* path, void* actions, void* attributes, byte** argv, byte** envp);
}

/// <summary>A NULL-terminated array of UTF-8 C strings, as execve and posix_spawn take them.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    public NativeStrings(IReadOnlyList<string> strings)
    {
        Pointers = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < strings.Count; i++) Pointers[i] = (byte*)Marshal.StringToCoTaskMemUTF8(strings[i]);
    }

    public byte** Pointers { get; }

    public void Dispose()
    {
        for (var i = 0; Pointers[i] != null; i++) Marshal.FreeCoTaskMem((nint)Pointers[i]);
        NativeMemory.Free(Pointers);
    }
}
