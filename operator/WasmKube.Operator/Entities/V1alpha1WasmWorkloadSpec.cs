using System.Text.Json.Nodes;
using WasmKube.Kube.Models;

namespace WasmKube.Operator.Entities;

/// <summary>Desired state of a WasmWorkload. Field names follow the PodSpec/Container fields they map to.</summary>
public sealed class V1alpha1WasmWorkloadSpec
{
    /// <summary>OCI image whose entrypoint is the .wasm module (an image FROM scratch works).</summary>
    public required string Image { get; set; }
    public string? ImagePullPolicy { get; set; }
    public IList<V1LocalObjectReference>? ImagePullSecrets { get; set; }

    /// <summary>Arguments after the module name (argv[1..] of the guest).</summary>
    public IList<string>? Args { get; set; }

    /// <summary>The guest's whole environment: nothing else from the host is visible.</summary>
    public IList<V1EnvVar>? Env { get; set; }

    /// <summary>Desired pods; absent means 1. Written by kubectl scale and the HPA through the scale subresource.</summary>
    public int? Replicas { get; set; }
    public IList<WasmWorkloadPort>? Ports { get; set; }

    /// <summary>Type of the Service made when ports are declared.</summary>
    public string? ServiceType { get; set; }
    public V1ResourceRequirements? Resources { get; set; }

    /// <summary>Kubernetes volumes, passed to the pod unchanged.</summary>
    public IList<JsonObject>? Volumes { get; set; }

    /// <summary>Mounted into the container; each mount path becomes a preopened directory of the guest.</summary>
    public IList<V1VolumeMount>? VolumeMounts { get; set; }
    public IDictionary<string, string>? NodeSelector { get; set; }
    public IList<V1Toleration>? Tolerations { get; set; }
    public JsonObject? Affinity { get; set; }
    public IDictionary<string, string>? PodLabels { get; set; }
    public IDictionary<string, string>? PodAnnotations { get; set; }
    public string? ServiceAccountName { get; set; }
    public WasmEngineSpec? Wasm { get; set; }
}
