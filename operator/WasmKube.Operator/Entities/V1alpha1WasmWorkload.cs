using WasmKube.Kube.Models;

namespace WasmKube.Operator.Entities;

/// <summary>A WebAssembly workload: the operator turns it into a Deployment on wasm-capable nodes and a Service.</summary>
public sealed class V1alpha1WasmWorkload : IKubernetesObject<V1alpha1WasmWorkload>
{
    public const string Group = "wasmkube.io";
    public const string Version = "v1alpha1";

    public static ResourceDefinition<V1alpha1WasmWorkload> Definition { get; } = new(
        Group, Version, "WasmWorkload", "wasmworkloads", Namespaced: true,
        WasmKubeJsonContext.Default.V1alpha1WasmWorkload, WasmKubeJsonContext.Default.KubernetesListV1alpha1WasmWorkload);

    public string? ApiVersion { get; set; } = $"{Group}/{Version}";
    public string? Kind { get; set; } = "WasmWorkload";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1alpha1WasmWorkloadSpec Spec { get; set; } = new() { Image = "" };
    public V1alpha1WasmWorkloadStatus? Status { get; set; }
}
