namespace WasmKube.Kube.Controllers;

/// <summary>Tuning of one controller.</summary>
public sealed record ControllerOptions
{
    /// <summary>Keys reconciled in parallel; one key is never reconciled twice at the same time.</summary>
    public int MaxConcurrentReconciles { get; init; } = 4;

    public TimeSpan BaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);
}
