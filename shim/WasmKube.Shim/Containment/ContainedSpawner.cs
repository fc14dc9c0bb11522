using System.Text;
using WasmKube.Contracts;
using WasmKube.Shim.Native;
using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Containment;

/// <summary>Where the init stage's process goes in the PID namespaces: the host's, a new one, or an existing one by path.</summary>
internal sealed record PidNamespace(bool Create, string? JoinPath)
{
    public static readonly PidNamespace Host = new(false, null);
}

/// <summary>
/// Starts <see cref="ContainerInit"/> (this program with <c>contain</c>) as a child of the shim daemon. A PID namespace
/// only takes effect for children, so the spawn happens on a thread of its own that enters (or creates) the
/// container's PID namespace first and then ends; the daemon's other threads never change namespace. posix_spawn
/// opens containerd's stdio on fds 0-2 (FIFOs read-write, so the open never blocks on a reader that is gone) and
/// hands over the plan, an error pipe and the descriptors the executor needs at fixed numbers.
/// </summary>
internal static unsafe class ContainedSpawner
{
    public const int PlanFd = 3;
    public const int ErrorFd = 4;
    public const int GuestRootFd = 5;

    /// <summary>The first fd of <see cref="Spawn"/>'s <c>passed</c> descriptors, in order.</summary>
    public const int FirstPassedFd = 6;

    private const int F_DUPFD_CLOEXEC = 1030;

    /// <summary>
    /// Spawns the init stage and waits until it has exec'd the executor; returns its pid (a child of the daemon).
    /// <paramref name="passed"/> land at <see cref="FirstPassedFd"/> onwards; -1 leaves that number closed.
    /// </summary>
    /// <exception cref="ContainmentException">The init stage failed; the message names the step.</exception>
    public static int Spawn(string shim, string planFile, Stdio stdio, PidNamespace pidNamespace, IReadOnlyList<int> passed, IReadOnlyList<string> environment)
    {
        var pid = 0;
        string? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                EnterPidNamespace(pidNamespace);
                pid = SpawnHere(shim, planFile, stdio, passed, environment, out failure);
            }
            catch (ContainmentException e)
            {
                failure = e.Message;
            }
        }, 256 * 1024) { Name = "contain-spawn" };
        thread.Start();
        thread.Join();
        if (failure is not null) throw new ContainmentException(failure);
        return pid;
    }

    private static void EnterPidNamespace(PidNamespace pidNamespace)
    {
        if (pidNamespace.JoinPath is { } path)
        {
            var fd = Sys.Check(Sys.open(path, Sys.O_RDONLY | Sys.O_CLOEXEC, 0), $"open the PID namespace {path}");
            Sys.Check(Sys.setns(fd, Sys.CLONE_NEWPID), $"setns into the PID namespace {path}");
            Sys.close(fd);
        }
        else if (pidNamespace.Create)
        {
            Sys.Check(Sys.unshare(Sys.CLONE_NEWPID), "unshare a PID namespace");
        }
    }

    private static int SpawnHere(string shim, string planFile, Stdio stdio, IReadOnlyList<int> passed, IReadOnlyList<string> environment, out string? failure)
    {
        var pipe = stackalloc int[2];
        Sys.Check(Sys.pipe2(pipe, Sys.O_CLOEXEC), "pipe2");
        var plan = Sys.Check(Sys.open(planFile, Sys.O_RDONLY | Sys.O_CLOEXEC, 0), $"open {planFile}");

        // Sources above every target, so no dup2 overwrites a descriptor a later one reads.
        var sources = new List<int> { plan, pipe[1] };
        sources.AddRange(passed);
        var high = sources.Select(fd => fd < 0 ? -1 : Sys.Check(Sys.fcntl(fd, F_DUPFD_CLOEXEC, 100), "dup a descriptor for the container")).ToArray();
        int pid;
        try
        {
            // The daemon's runtime ignores SIGPIPE and may block signals: the container starts with defaults, except
            // that stop signals stay blocked through the exec until the executor handles them. The executor is often
            // its PID namespace's init, and the kernel drops an unhandled signal sent to an init unless it is blocked;
            // blocked, a kill during the executor's start-up waits for it instead of being lost.
            var error = PosixSpawn.Spawn(shim, [Path.GetFileName(shim), ContainerInit.Command], environment, files =>
            {
                OpenStdio(files, 0, stdio.Stdin);
                OpenStdio(files, 1, stdio.Stdout);
                OpenStdio(files, 2, stdio.Stderr);
                files.Dup2(high[0], PlanFd);
                files.Dup2(high[1], ErrorFd);
                for (var i = 2; i < high.Length; i++)
                {
                    if (high[i] >= 0) files.Dup2(high[i], FirstPassedFd + i - 2);
                }
            }, 0, StopSignals.Numbers, out pid);
            if (error != 0) throw new ContainmentException($"spawn {shim}: {Sys.Describe(error)}");
        }
        finally
        {
            foreach (var fd in high.Where(fd => fd >= 0)) Sys.close(fd);
            Sys.close(plan);
            Sys.close(pipe[1]);
        }

        failure = ReadToEnd(pipe[0]);
        Sys.close(pipe[0]);
        if (failure.Length == 0)
        {
            failure = null;
            return pid;
        }

        while (Libc.waitpid(pid, out _, 0) < 0 && Sys.Errno == Libc.EINTR)
        {
        }

        return 0;
    }

    /// <summary>Read-write, so a FIFO's open never blocks; appending and creating, so a log file (file:// URI) works too.</summary>
    private static void OpenStdio(PosixSpawn.FileActions files, int fd, string uri)
    {
        var path = uri.StartsWith("file://", StringComparison.Ordinal) ? uri["file://".Length..] : uri;
        if (path.Length == 0) files.Open(fd, "/dev/null", Sys.O_RDWR, 0);
        else files.Open(fd, path, fd == 0 ? Sys.O_RDWR : Sys.O_RDWR | Sys.O_APPEND | Sys.O_CREAT, 416);
    }

    private static string ReadToEnd(int fd)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = Sys.read(fd, p, buffer.Length);
            }

            if (n < 0 && Sys.Errno == Libc.EINTR) continue;
            if (n <= 0) return text.ToString();
            text.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
        }
    }
}
