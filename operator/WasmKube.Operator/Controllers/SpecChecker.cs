using WasmKube.Kube.Client;
using WasmKube.Kube.Models;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Controllers;

/// <summary>
/// Finds what the schema cannot: references to ConfigMaps that do not exist, and limits that contradict each other.
/// A workload that fails here is reported as Degraded (with a Warning event) and rechecked later, instead of producing
/// pods that would sit in CreateContainerConfigError or run with a limit other than the one written. Secret
/// references are not checked: that would need read access to every Secret the operator can see, and the kubelet
/// reports a missing Secret on the pod (CreateContainerConfigError) anyway.
/// </summary>
public sealed class SpecChecker(IKubernetesClient client)
{
    public async Task<SpecProblem?> CheckAsync(V1alpha1WasmWorkload workload, CancellationToken cancellationToken)
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

        foreach (var variable in spec.Env ?? [])
        {
            if (variable.ValueFrom?.ConfigMapKeyRef is { } mapRef && mapRef.Optional != true)
            {
                var map = await client.GetAsync<V1ConfigMap>(@namespace, mapRef.Name, cancellationToken).ConfigureAwait(false);
                if (map is null)
                {
                    return new SpecProblem("ConfigMapNotFound",
                        $"env {variable.Name} reads ConfigMap '{mapRef.Name}', which does not exist in namespace '{@namespace}'; create it or set optional: true.");
                }
                if (map.Data?.ContainsKey(mapRef.Key) != true && map.BinaryData?.ContainsKey(mapRef.Key) != true)
                {
                    return new SpecProblem("ConfigMapKeyNotFound",
                        $"env {variable.Name} reads key '{mapRef.Key}' of ConfigMap '{mapRef.Name}', which has no such key; add it or set optional: true.");
                }
            }
        }
        return null;
    }

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
