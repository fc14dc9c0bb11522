using System.Globalization;
using System.Text.Json.Nodes;
using WasmKube.Contracts;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Controllers;

/// <summary>Pure functions from a WasmWorkload to the children it should have. Only fields we own are set.</summary>
public static class DesiredResources
{
    public const string ContainerName = "wasm";

    /// <summary>
    /// A wasm guest needs no privilege: its executor runs contained with no capabilities, no way to gain any and
    /// the runtime's default seccomp profile (the shim applies the container's securityContext like runc).
    /// </summary>
    public static JsonObject WasmSecurityContext() => new()
    {
        ["allowPrivilegeEscalation"] = false,
        ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
        ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
    };

    public static V1Deployment Deployment(V1alpha1WasmWorkload workload)
    {
        var spec = workload.Spec;
        var podLabels = new Dictionary<string, string>(spec.PodLabels ?? new Dictionary<string, string>());
        foreach (var (key, value) in WorkloadLabels.Common(workload))
        {
            podLabels[key] = value;
        }
        var podAnnotations = new Dictionary<string, string>(spec.PodAnnotations ?? new Dictionary<string, string>())
        {
            [PodAnnotations.Workload] = workload.Metadata.Name!,
            [PodAnnotations.Engine] = spec.Wasm?.Engine ?? Engines.Default,
        };
        var tcpPorts = (spec.Ports ?? []).Where(port => (port.Protocol ?? "TCP") == "TCP").Select(port => port.ContainerPort).ToList();
        if (tcpPorts.Count > 0)
        {
            podAnnotations[PodAnnotations.Listen] = string.Join(',', tcpPorts.Select(port => port.ToString(CultureInfo.InvariantCulture)));
        }
        if (spec.Wasm?.MaxMemory is { } maxMemory)
        {
            podAnnotations[PodAnnotations.MaxMemory] = maxMemory.Value;
        }
        if (spec.Wasm?.Fuel is { } fuel)
        {
            podAnnotations[PodAnnotations.Fuel] = fuel.ToString(CultureInfo.InvariantCulture);
        }
        if (spec.Wasm?.Timeout is { } timeout)
        {
            podAnnotations[PodAnnotations.Timeout] = timeout;
        }

        return new V1Deployment
        {
            Metadata = ChildMetadata(workload),
            Spec = new V1DeploymentSpec
            {
                Replicas = spec.Replicas ?? 1,
                Selector = new V1LabelSelector { MatchLabels = WorkloadLabels.Selector(workload) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels, Annotations = podAnnotations },
                    Spec = new V1PodSpec
                    {
                        RuntimeClassName = RuntimeNames.RuntimeClass,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = ContainerName,
                                Image = spec.Image,
                                ImagePullPolicy = spec.ImagePullPolicy,
                                Args = NullIfEmpty(spec.Args),
                                Env = NullIfEmpty(spec.Env),
                                Ports = NullIfEmpty(spec.Ports?.Select(port => new V1ContainerPort
                                {
                                    Name = port.Name,
                                    ContainerPort = port.ContainerPort,
                                    Protocol = port.Protocol ?? "TCP",
                                }).ToList()),
                                Resources = spec.Resources,
                                VolumeMounts = NullIfEmpty(spec.VolumeMounts),
                                SecurityContext = WasmSecurityContext(),
                                // A failed run's last stderr line says why (a trap, the fuel or the timeout): kubelet
                                // shows it as the container's termination message.
                                TerminationMessagePolicy = "FallbackToLogsOnError",
                            },
                        ],
                        Volumes = NullIfEmpty(spec.Volumes?.Select(volume => (JsonObject)volume.DeepClone()).ToList()),
                        ImagePullSecrets = NullIfEmpty(spec.ImagePullSecrets),
                        NodeSelector = NullIfEmpty(spec.NodeSelector),
                        Tolerations = NullIfEmpty(spec.Tolerations),
                        Affinity = (JsonObject?)spec.Affinity?.DeepClone(),
                        ServiceAccountName = spec.ServiceAccountName,
                    },
                },
            },
        };
    }

    /// <summary>The Service, or null when the workload declares no ports.</summary>
    public static V1Service? Service(V1alpha1WasmWorkload workload)
    {
        if (workload.Spec.Ports is not { Count: > 0 } ports)
        {
            return null;
        }
        return new V1Service
        {
            Metadata = ChildMetadata(workload),
            Spec = new V1ServiceSpec
            {
                Type = workload.Spec.ServiceType ?? "ClusterIP",
                Selector = WorkloadLabels.Selector(workload),
                Ports = ports.Select(port => new V1ServicePort
                {
                    Name = port.Name,
                    Protocol = port.Protocol ?? "TCP",
                    Port = port.ServicePort ?? port.ContainerPort,
                    TargetPort = port.Name is { Length: > 0 } name ? new IntOrString(name) : new IntOrString(port.ContainerPort),
                }).ToList(),
            },
        };
    }

    private static V1ObjectMeta ChildMetadata(V1alpha1WasmWorkload workload) => new()
    {
        Name = workload.Metadata.Name,
        Namespace = workload.Metadata.Namespace,
        Labels = WorkloadLabels.Common(workload),
        OwnerReferences = [workload.ToControllerReference()],
    };

    private static IList<T>? NullIfEmpty<T>(IList<T>? items) => items is { Count: > 0 } ? items : null;

    private static IDictionary<string, string>? NullIfEmpty(IDictionary<string, string>? items) => items is { Count: > 0 } ? items : null;
}
