using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Tasks;

/// <summary>An extra process in a native container (runc exec --detach).</summary>
public sealed class NativeExecProcess(RuncRunner runc, string id, string bundle, string execId, string processJson, Stdio stdio)
    : ShimProcess(execId, stdio)
{
    public override Task CreateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        Pid = await runc.ExecAsync(id, bundle, ExecId, processJson, Stdio, cancellationToken);
        ReapInBackground(Pid);
    }

    protected override void SignalCore(int signal, bool all) => SendSignal(Pid, signal);

    public override Task CleanupAsync(CancellationToken cancellationToken)
    {
        File.Delete(Path.Combine(bundle, $"exec-{ExecId}.json"));
        File.Delete(Path.Combine(bundle, $"exec-{ExecId}.pid"));
        return Task.CompletedTask;
    }

    public override string Describe() => $"{id}/{ExecId} (pid {Pid})";
}
