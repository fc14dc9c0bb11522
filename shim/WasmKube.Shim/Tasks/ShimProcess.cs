using WasmKube.Shim.Native;
using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Tasks;

/// <summary>
/// One process of a task: the init process (exec id "") or an exec. Subclasses say how it starts and is signalled;
/// this class owns the status, the exit record and the waiters.
/// </summary>
public abstract class ShimProcess(string execId, Stdio stdio)
{
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();

    public string ExecId { get; } = execId;

    public Stdio Stdio { get; } = stdio;

    public int Pid { get; protected set; }

    public ProcessState State { get; private set; } = ProcessState.Created;

    public int ExitStatus { get; private set; }

    public DateTime ExitedAt { get; private set; }

    /// <summary>Completes when the process has exited and its status is recorded.</summary>
    public Task Exited => _exited.Task;

    /// <summary>Raised once, after the exit is recorded.</summary>
    public event Action<ShimProcess>? OnExit;

    public abstract Task CreateAsync(CancellationToken cancellationToken);

    protected abstract Task StartCoreAsync(CancellationToken cancellationToken);

    protected abstract void SignalCore(int signal, bool all);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (State != ProcessState.Created)
            {
                throw new Ttrpc.TtrpcException(Ttrpc.StatusCode.FailedPrecondition, $"process {Describe()} is {State.ToString().ToLowerInvariant()}, not created");
            }
        }

        await StartCoreAsync(cancellationToken);
        lock (_lock)
        {
            if (State == ProcessState.Created)
            {
                State = ProcessState.Running;
            }
        }
    }

    public void Kill(int signal, bool all)
    {
        if (State == ProcessState.Stopped)
        {
            throw Ttrpc.TtrpcException.NotFound($"process {Describe()} has already exited");
        }

        SignalCore(signal, all);
    }

    /// <summary>Records the exit and wakes waiters; later calls are ignored.</summary>
    protected void SetExited(int status)
    {
        lock (_lock)
        {
            if (State == ProcessState.Stopped)
            {
                return;
            }

            State = ProcessState.Stopped;
            ExitStatus = status;
            ExitedAt = DateTime.UtcNow;
        }

        OnExit?.Invoke(this);
        _exited.TrySetResult();
    }

    /// <summary>Waits for a reparented (not .NET-started) child on a dedicated thread and records its status.</summary>
    protected void ReapInBackground(int pid)
    {
        var thread = new Thread(() =>
        {
            while (true)
            {
                var result = Libc.waitpid(pid, out var status, 0);
                if (result == pid)
                {
                    SetExited(Libc.DecodeWaitStatus(status));
                    return;
                }

                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (result < 0 && errno == Libc.EINTR)
                {
                    continue;
                }

                // Not our child (e.g. after a shim restart): poll until the pid disappears.
                while (Libc.kill(pid, 0) == 0)
                {
                    Thread.Sleep(100);
                }

                SetExited(137);
                return;
            }
        })
        { IsBackground = true, Name = $"reap-{pid}" };
        thread.Start();
    }

    protected static void SendSignal(int pid, int signal)
    {
        if (pid > 0 && Libc.kill(pid, signal) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == Libc.ESRCH)
            {
                throw Ttrpc.TtrpcException.NotFound($"process {pid}");
            }

            throw new Ttrpc.TtrpcException(Ttrpc.StatusCode.Unknown, $"kill({pid}, {signal}): {Libc.ErrorText(errno)}");
        }
    }

    public abstract string Describe();

    /// <summary>Releases what the process holds after it was deleted.</summary>
    public virtual Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
