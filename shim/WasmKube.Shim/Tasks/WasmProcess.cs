using System.Diagnostics;
using WasmKube.Contracts;
using WasmKube.Shim.Containment;
using WasmKube.Shim.Native;
using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Tasks;

/// <summary>
/// A wasm process: an executor started at Create, in the container's cgroup and namespaces with the container's view
/// (see <see cref="ContainedLauncher"/>). It compiles the module, then waits on a FIFO until Start before running
/// guest code.
/// </summary>
internal sealed class WasmProcess(string id, string execId, ExecutorConfig config, string workDirectory, WasmLaunch launch, Stdio stdio)
    : ShimProcess(execId, stdio)
{
    private const string JoinCgroups =
        "IFS=:; for f in $WK_CGROUPS; do echo $$ > \"$f\" || exit 125; done; unset IFS WK_CGROUPS; ";

    private Process? _process;
    private FileStream? _startSignal;

    private string Name => ExecId.Length == 0 ? "init" : "exec-" + ExecId;

    private string ConfigPath => Path.Combine(workDirectory, $"{Name}.executor.json");

    private string StartFifo => Path.Combine(workDirectory, $"{Name}.start");

    public override Task CreateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        File.Delete(StartFifo);
        if (Libc.mkfifo(StartFifo, Convert.ToUInt32("600", 8)) != 0)
        {
            throw new IOException($"mkfifo {StartFifo}: {Libc.ErrorText(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }

        if (launch.Contained is { } contained)
        {
            try
            {
                Pid = ContainedLauncher.Launch(config with { StartFifo = StartFifo }, contained.Rootfs, contained.Plan, contained.Pid, workDirectory, Name, Stdio);
            }
            catch (ContainmentException e)
            {
                throw new Ttrpc.TtrpcException(Ttrpc.StatusCode.FailedPrecondition, $"cannot start the executor of {id} in its container: {e.Message}");
            }

            ReapInBackground(Pid);
            return Task.CompletedTask;
        }

        (config with { StartFifo = StartFifo }).Save(ConfigPath);
        _process = ChildProcess.Start(
            Stdio,
            [.. launch.NamespaceCommand, launch.ExecutorPath, "--config", ConfigPath],
            new Dictionary<string, string> { ["WK_CGROUPS"] = string.Join(':', launch.CgroupProcsFiles) },
            JoinCgroups);
        Pid = _process.Id;
        _ = WatchAsync(_process);
        return Task.CompletedTask;
    }

    private async Task WatchAsync(Process process)
    {
        await process.WaitForExitAsync();
        _startSignal?.Dispose();
        SetExited(process.ExitCode);
    }

    protected override Task StartCoreAsync(CancellationToken cancellationToken)
    {
        // Read-write so the open never blocks; kept open until exit so the byte stays readable even if the
        // executor opens its end later.
        _startSignal = new FileStream(StartFifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
        _startSignal.WriteByte(1);
        _startSignal.Flush();
        return Task.CompletedTask;
    }

    protected override void SignalCore(int signal, bool all) => SendSignal(Pid, signal);

    public override Task CleanupAsync(CancellationToken cancellationToken)
    {
        _startSignal?.Dispose();
        _process?.Dispose();
        File.Delete(ConfigPath);
        File.Delete(StartFifo);
        return Task.CompletedTask;
    }

    public override string Describe() => $"{id}{(ExecId.Length == 0 ? "" : "/" + ExecId)} (executor pid {Pid})";
}
