namespace WasmKube.Kube.Hosting;

/// <summary>Process-wide operator settings, bound from configuration or flags.</summary>
public sealed class OperatorOptions
{
    /// <summary>Names the field manager, the Event source and the leader-election Lease.</summary>
    public string Name { get; set; } = "operator";

    /// <summary>Watch only this namespace; null watches all.</summary>
    public string? WatchNamespace { get; set; }

    public bool LeaderElection { get; set; }

    /// <summary>Namespace of the Lease; the client's default namespace when null.</summary>
    public string? LeaderElectionNamespace { get; set; }

    public int MaxConcurrentReconciles { get; set; } = 4;
}
