namespace WasmKube.Shim.Tests.Infrastructure;

/// <summary>End-to-end classes run one after another: each starts its own containerd, and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainerdCollection
{
    public const string Name = "containerd";
}
