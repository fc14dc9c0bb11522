namespace WasmKube.Kube.Controllers;

/// <summary>Leader election on a coordination.k8s.io Lease; defaults as in client-go's leaderelection package.</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseName { get; init; }
    public required string LeaseNamespace { get; init; }

    /// <summary>Unique per process: the pod name plus a random suffix by default.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary>How long non-leaders wait after the last observed renewal before taking over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Clear the holder on graceful shutdown so a successor takes over at once.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
