namespace WasmKube.Contracts;

/// <summary>
/// The engines a wasm container can run on, chosen per container by the pod annotation
/// <see cref="PodAnnotations.Engine"/> (the operator sets it from the WasmWorkload's <c>spec.wasm.engine</c>), and
/// the executor program of each.
/// </summary>
public static class Engines
{
    /// <summary>Wasmtime: a NativeAOT executor, no .NET on the node.</summary>
    public const string Wasmtime = "wasmtime";

    /// <summary>Our own wasm-to-CIL engine: a self-contained executor with the .NET JIT.</summary>
    public const string WasmKube = "wasmkube";

    /// <summary>The engine when a workload or pod names none (the CRD's default).</summary>
    public const string Default = Wasmtime;

    /// <summary>
    /// Each engine's executor, relative to the node payload's folder (where the shim is): the wasmkube engine's
    /// executor is self-contained and keeps its runtime in a folder of its own.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ExecutorPrograms { get; } = new Dictionary<string, string>
    {
        [Wasmtime] = "wasmkube-executor",
        [WasmKube] = "cil/wasmkube-executor-cil",
    };
}
