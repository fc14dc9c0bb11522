namespace WasmKube.NodeAgent;

/// <summary>Where node preparation stands; /readyz reports ready only in <see cref="NodeSetupPhase.Ready"/>.</summary>
public sealed class NodeSetupState
{
    private volatile Snapshot _current = new(NodeSetupPhase.Pending, "not started");

    public Snapshot Current => _current;

    public void Set(NodeSetupPhase phase, string message) => _current = new Snapshot(phase, message);

    public sealed record Snapshot(NodeSetupPhase Phase, string Message);
}

public enum NodeSetupPhase
{
    Pending,
    Ready,
    Failed,
}
