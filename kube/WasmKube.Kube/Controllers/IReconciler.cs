namespace WasmKube.Kube.Controllers;

/// <summary>
/// The one thing a controller author writes. Level-triggered: read the current state, drive the world toward it,
/// and be idempotent, because the same request can arrive any number of times.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken);
}
