namespace WasmKube.Kube.Controllers;

/// <summary>A runnable controller: workers pulling keys from a queue and calling a reconciler.</summary>
public interface IController
{
    string Name { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
