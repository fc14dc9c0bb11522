using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Controllers;

/// <summary>The well-known labels and annotations the operator puts on what it makes.</summary>
public static class WorkloadLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagerName = "wasmkube-operator";

    /// <summary>Pod-template annotation naming the workload; the shim records it so node metrics carry a workload label.</summary>
    public const string WorkloadAnnotation = "wasmkube.io/workload";

    /// <summary>
    /// Pod-template annotation listing the TCP container ports ("8080,9090"): a WASI guest cannot create sockets, so
    /// the executor opens these listeners in the pod's network namespace and preopens them for the guest.
    /// </summary>
    public const string ListenAnnotation = "wasmkube.io/listen";
    /// <summary>Pod-template annotation naming the engine (<c>spec.wasm.engine</c>) the shim starts the executor of.</summary>
    public const string EngineAnnotation = "wasmkube.io/engine";

    /// <summary>The engine when the workload names none (the CRD's default).</summary>
    public const string DefaultEngine = "wasmtime";

    public const string MaxMemoryAnnotation = "wasmkube.io/max-memory";
    public const string FuelAnnotation = "wasmkube.io/fuel";
    public const string TimeoutAnnotation = "wasmkube.io/timeout";

    /// <summary>The RuntimeClass the node agent installs; its handler is the WasmKube containerd shim.</summary>
    public const string RuntimeClassName = "wasmkube";

    /// <summary>Labels selecting the workload's pods. Immutable on a Deployment, so they never change for a workload.</summary>
    public static Dictionary<string, string> Selector(V1alpha1WasmWorkload workload) => new()
    {
        [Instance] = workload.Metadata.Name!,
        [ManagedBy] = ManagerName,
    };

    public static string SelectorString(V1alpha1WasmWorkload workload) =>
        string.Join(',', Selector(workload).OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));

    /// <summary>Labels of the Deployment and Service.</summary>
    public static Dictionary<string, string> Common(V1alpha1WasmWorkload workload)
    {
        var labels = Selector(workload);
        labels[Name] = workload.Metadata.Name!;
        labels[Component] = "wasm-workload";
        return labels;
    }
}
