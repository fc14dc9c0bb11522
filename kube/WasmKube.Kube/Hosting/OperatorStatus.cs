namespace WasmKube.Kube.Hosting;

/// <summary>Liveness facts the hosted service publishes for the probes.</summary>
public sealed class OperatorStatus
{
    /// <summary>Set when the controllers stopped unexpectedly (they must be running, or waiting for leadership).</summary>
    public string? Failure { get; set; }

    public bool IsLeader { get; set; }
}
