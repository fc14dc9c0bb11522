namespace WasmKube.Kube.Controllers;

/// <summary>
/// The outcome of one reconcile. Throwing requeues with per-key backoff; <see cref="Requeue"/> does the same without
/// an error; <see cref="RequeueAfter"/> comes back after a fixed time (for polling something that sends no events).
/// </summary>
public readonly record struct ReconcileResult(bool Requeue = false, TimeSpan? RequeueAfter = null)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(RequeueAfter: delay);
}
