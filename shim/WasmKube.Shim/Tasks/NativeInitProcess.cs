using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Tasks;

/// <summary>A native container's init process, run by runc (create, then start).</summary>
public sealed class NativeInitProcess(RuncRunner runc, string id, string bundle, Stdio stdio) : ShimProcess("", stdio)
{
    public override async Task CreateAsync(CancellationToken cancellationToken)
    {
        Pid = await runc.CreateAsync(id, bundle, Stdio, cancellationToken);
        ReapInBackground(Pid);
    }

    protected override Task StartCoreAsync(CancellationToken cancellationToken) => runc.StartAsync(id, bundle, cancellationToken);

    protected override void SignalCore(int signal, bool all)
    {
        if (all)
        {
            runc.KillAllAsync(id, bundle, signal, CancellationToken.None).GetAwaiter().GetResult();
        }
        else
        {
            SendSignal(Pid, signal);
        }
    }

    public override Task CleanupAsync(CancellationToken cancellationToken) => runc.DeleteAsync(id, bundle, cancellationToken);

    public override string Describe() => $"{id} (runc pid {Pid})";
}
