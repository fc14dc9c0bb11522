namespace WasmKube.Contracts;

/// <summary>
/// The pod annotations through which a WasmWorkload reaches the shim: the operator writes them on the pod template
/// from the workload's spec, and containerd passes pod annotations to the shim in the OCI spec (so
/// <c>ctr run --annotation</c> works too).
/// </summary>
public static class PodAnnotations
{
    /// <summary>The WasmWorkload's name; the shim records it so node metrics carry a workload label.</summary>
    public const string Workload = "wasmkube.io/workload";

    /// <summary>
    /// The TCP container ports ("8080,9090"): a WASI guest cannot create sockets, so the executor opens these
    /// listeners in the pod's network namespace and preopens them for the guest.
    /// </summary>
    public const string Listen = "wasmkube.io/listen";

    /// <summary>The engine the shim starts the executor of (<see cref="Engines"/>), from <c>spec.wasm.engine</c>.</summary>
    public const string Engine = "wasmkube.io/engine";

    /// <summary>Cap on linear memory: a Kubernetes quantity of bytes (<see cref="LimitValues.MaxMemoryForm"/>).</summary>
    public const string MaxMemory = "wasmkube.io/max-memory";

    /// <summary>Fuel (roughly, wasm instructions) before the guest traps (<see cref="LimitValues.FuelForm"/>).</summary>
    public const string Fuel = "wasmkube.io/fuel";

    /// <summary>Wall-clock limit of the run (<see cref="LimitValues.TimeoutForm"/>).</summary>
    public const string Timeout = "wasmkube.io/timeout";
}
