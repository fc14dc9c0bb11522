using WasmKube.Testing.Cri;

namespace WasmKube.Shim.Tests.Infrastructure;

/// <summary>A CRI client of a private containerd and the pods it runs on handler wasmkube; disposing stops the pods.</summary>
public sealed class CriSession(CriClient cri, CriPods pods) : IAsyncDisposable
{
    public CriClient Cri { get; } = cri;

    public CriPods Pods { get; } = pods;

    /// <summary>Connects to <paramref name="containerd"/> and imports the pause image its sandboxes use.</summary>
    public static async Task<CriSession> StartAsync(ContainerdInstance containerd)
    {
        var cri = new CriClient(containerd.Socket);
        await containerd.ImportBusyboxImageAsync("k8s.io", "wasmkube-test-pause:1", "sleep", "2147483647");
        return new CriSession(cri, new CriPods(cri, "wasmkube", containerd.LogDirectory));
    }

    public async ValueTask DisposeAsync()
    {
        await Pods.DisposeAsync();
        Cri.Dispose();
    }
}
