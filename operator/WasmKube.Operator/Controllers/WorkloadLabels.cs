using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Controllers;

/// <summary>
/// The well-known labels the operator puts on what it makes (the pod annotations the shim reads are
/// <see cref="WasmKube.Contracts.PodAnnotations"/>).
/// </summary>
public static class WorkloadLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagerName = "wasmkube-operator";

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
