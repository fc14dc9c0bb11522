using Microsoft.Extensions.Hosting;

namespace WasmKube.Kube.Testing.Http;

/// <summary>
/// Keeps the host from taking over the process's Ctrl+C/SIGTERM handling (the default console lifetime would):
/// the server lives inside a test run or a small console entry that manages its own shutdown.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
