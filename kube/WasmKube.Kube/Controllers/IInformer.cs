namespace WasmKube.Kube.Controllers;

/// <summary>The type-independent face of an informer, for starting and health checks.</summary>
public interface IInformer
{
    Type ObjectType { get; }

    bool HasSynced { get; }

    Task RunAsync(CancellationToken cancellationToken);

    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
