using WasmKube.Kube.Controllers;
using WasmKube.Kube.Models;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Controllers;

/// <summary>
/// Finds what the schema cannot: references to ConfigMaps that do not exist, volume mounts of undeclared volumes, and
/// limits that contradict each other. A workload that fails here is reported as Degraded (with a Warning event)
/// instead of producing pods that would sit in CreateContainerConfigError or run with a limit other than the one
/// written. ConfigMaps are looked up in the cache's metadata-only view (<see cref="V1ConfigMapMetadata"/>), which the
/// controller watches, so creating a missing ConfigMap reconciles its workloads at once; their contents are never
/// read. A missing key of an existing ConfigMap, and Secret references, are left to the kubelet, which reports them on
/// the pod (CreateContainerConfigError): checking them would mean reading ConfigMap data and Secrets.
/// </summary>
public sealed class SpecChecker(InformerCache cache)
{
    public SpecProblem? Check(V1alpha1WasmWorkload workload)
    {
        var spec = workload.Spec;
        var @namespace = workload.Metadata.Namespace;
        if (MaxMemoryAboveMemoryLimit(spec) is { } limitProblem)
        {
            return limitProblem;
        }

        var volumeNames = (spec.Volumes ?? []).Select(v => v["name"]?.GetValue<string>()).ToHashSet();
        foreach (var mount in spec.VolumeMounts ?? [])
        {
            if (!volumeNames.Contains(mount.Name))
            {
                return new SpecProblem("VolumeNotFound",
                    $"volumeMounts '{mount.MountPath}' names volume '{mount.Name}', which spec.volumes does not declare; add the volume or fix the name.");
            }
        }

        foreach (var (variable, map) in ConfigMapReferences(workload))
        {
            if (cache.Get<V1ConfigMapMetadata>(@namespace, map) is null)
            {
                return new SpecProblem("ConfigMapNotFound",
                    $"env {variable} reads ConfigMap '{map}', which does not exist in namespace '{@namespace}'; create it or set optional: true.");
            }
        }
        return null;
    }

    /// <summary>The names of the ConfigMaps a workload requires (<see cref="Check"/> reports a missing one).</summary>
    public static IEnumerable<string> RequiredConfigMaps(V1alpha1WasmWorkload workload) => ConfigMapReferences(workload).Select(reference => reference.Map);

    /// <summary>Each env variable that must read a ConfigMap (not optional), with the ConfigMap's name.</summary>
    private static IEnumerable<(string Variable, string Map)> ConfigMapReferences(V1alpha1WasmWorkload workload) =>
        from variable in workload.Spec.Env ?? []
        where variable.ValueFrom?.ConfigMapKeyRef is { Optional: not true }
        select (variable.Name, variable.ValueFrom!.ConfigMapKeyRef!.Name);

    /// <summary>
    /// Linear memory lives inside the container's memory: a maxMemory above resources.limits.memory could never be
    /// reached (the executor caps at the smaller), so the workload is refused rather than run with a cap it does not state.
    /// </summary>
    private static SpecProblem? MaxMemoryAboveMemoryLimit(V1alpha1WasmWorkloadSpec spec)
    {
        if (spec.Wasm?.MaxMemory is not { } maxMemory
            || spec.Resources?.Limits?.TryGetValue("memory", out var memoryLimit) != true
            || maxMemory.ToDecimal() <= memoryLimit!.ToDecimal())
        {
            return null;
        }

        return new SpecProblem("MaxMemoryExceedsMemoryLimit",
            $"spec.wasm.maxMemory {maxMemory.Value} is more than the container's memory limit, resources.limits.memory {memoryLimit.Value}; "
            + "lower maxMemory or raise the limit (linear memory is part of the container's memory).");
    }
}
