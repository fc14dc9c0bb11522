using System.Text.Json.Nodes;
using WasmKube.Contracts;
using WasmKube.Kube.Models;
using WasmKube.Operator.Controllers;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Tests;

public sealed class DesiredStateTests
{
    private static V1alpha1WasmWorkload Workload() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Namespace = "apps", Uid = "uid-1", Generation = 4 },
        Spec = new V1alpha1WasmWorkloadSpec
        {
            Image = "example/web:1",
            Replicas = 3,
            Volumes = [new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() }],
            VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }],
            PodLabels = new Dictionary<string, string> { ["team"] = "a" },
            Tolerations = [new V1Toleration { Key = "wasm", Operator = "Exists" }],
            Wasm = new WasmEngineSpec { MaxMemory = "16Mi", Timeout = "30s" },
        },
    };

    [Fact]
    public void The_deployment_carries_volumes_mounts_labels_and_engine_limits()
    {
        var deployment = DesiredResources.Deployment(Workload());

        var template = deployment.Spec!.Template;
        Assert.Equal("data", (string?)Assert.Single(template.Spec!.Volumes!)["name"]);
        Assert.Equal("/data", Assert.Single(template.Spec.Containers[0].VolumeMounts!).MountPath);
        Assert.Equal("a", template.Metadata!.Labels!["team"]);
        Assert.Equal("16Mi", template.Metadata.Annotations![PodAnnotations.MaxMemory]);
        Assert.Equal("30s", template.Metadata.Annotations[PodAnnotations.Timeout]);
        Assert.Equal("wasmtime", template.Metadata.Annotations[PodAnnotations.Engine]);
        Assert.Equal("wasm", Assert.Single(template.Spec.Tolerations!).Key);
        Assert.Equal("FallbackToLogsOnError", template.Spec.Containers[0].TerminationMessagePolicy);
        Assert.Equal("uid-1", Assert.Single(deployment.Metadata.OwnerReferences!).Uid);
        Assert.All(deployment.Spec.Selector.MatchLabels!, pair => Assert.Equal(pair.Value, template.Metadata.Labels[pair.Key]));
    }

    [Fact]
    public void The_wasm_container_asks_for_no_privilege_and_the_default_seccomp_profile()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(DesiredResources.Deployment(Workload()), KubeJsonContext.Default.V1Deployment);
        var securityContext = JsonNode.Parse(json)!["spec"]!["template"]!["spec"]!["containers"]![0]!["securityContext"]!;

        Assert.False((bool)securityContext["allowPrivilegeEscalation"]!);
        Assert.Equal("ALL", (string?)Assert.Single(securityContext["capabilities"]!["drop"]!.AsArray()));
        Assert.Equal("RuntimeDefault", (string?)securityContext["seccompProfile"]!["type"]);
    }

    [Fact]
    public void The_workload_engine_reaches_the_pod_template()
    {
        var workload = Workload();
        workload.Spec.Wasm!.Engine = "wasmkube";

        var template = DesiredResources.Deployment(workload).Spec!.Template;

        Assert.Equal("wasmkube", template.Metadata!.Annotations![PodAnnotations.Engine]);
    }

    [Fact]
    public void No_ports_means_no_service_and_unnamed_ports_target_the_number()
    {
        var workload = Workload();
        Assert.Null(DesiredResources.Service(workload));

        workload.Spec.Ports = [new WasmWorkloadPort { ContainerPort = 9000 }];
        var port = Assert.Single(DesiredResources.Service(workload)!.Spec!.Ports!);
        Assert.Equal(9000, port.Port);
        Assert.Equal(9000, port.TargetPort!.IntValue);
        Assert.Equal("TCP", port.Protocol);
    }

    [Fact]
    public void Status_reports_progress_then_readiness_and_keeps_transition_times()
    {
        var workload = Workload();
        var t0 = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Generation = 2 },
            Spec = new V1DeploymentSpec { Replicas = 3 },
            Status = new V1DeploymentStatus { ObservedGeneration = 2, Replicas = 3, UpdatedReplicas = 3, ReadyReplicas = 1, AvailableReplicas = 1 },
        };

        var progressing = WorkloadStatus.Compute(workload, deployment, null, t0);
        Assert.Equal(("False", "ReplicasNotReady"), Get(progressing, ConditionTypes.Ready));
        Assert.Equal(("True", "RollingOut"), Get(progressing, ConditionTypes.Progressing));
        Assert.Equal(4, progressing.ObservedGeneration);

        workload.Status = progressing;
        deployment.Status.ReadyReplicas = deployment.Status.AvailableReplicas = 3;
        var ready = WorkloadStatus.Compute(workload, deployment, null, t0.AddMinutes(1));
        Assert.Equal(("True", "AllReplicasReady"), Get(ready, ConditionTypes.Ready));
        Assert.Equal(t0.AddMinutes(1), ready.Conditions!.Single(c => c.Type == ConditionTypes.Ready).LastTransitionTime);
        Assert.Equal(t0, ready.Conditions!.Single(c => c.Type == ConditionTypes.Degraded).LastTransitionTime);

        workload.Status = ready;
        Assert.True(WorkloadStatus.SameAs(ready, WorkloadStatus.Compute(workload, deployment, null, t0.AddMinutes(2))));
    }

    [Fact]
    public void A_spec_problem_and_a_stuck_rollout_are_degraded()
    {
        var workload = Workload();
        var problem = WorkloadStatus.Compute(workload, null, new SpecProblem("ConfigMapNotFound", "missing"), DateTimeOffset.UnixEpoch);
        Assert.Equal(("True", "ConfigMapNotFound"), Get(problem, ConditionTypes.Degraded));
        Assert.Equal(("False", "ConfigMapNotFound"), Get(problem, ConditionTypes.Ready));

        var stuck = WorkloadStatus.Compute(workload, new V1Deployment
        {
            Metadata = new V1ObjectMeta { Generation = 1 },
            Status = new V1DeploymentStatus
            {
                ObservedGeneration = 1,
                Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded" }],
            },
        }, null, DateTimeOffset.UnixEpoch);
        Assert.Equal(("True", "ProgressDeadlineExceeded"), Get(stuck, ConditionTypes.Degraded));
    }

    private static (string, string) Get(V1alpha1WasmWorkloadStatus status, string type)
    {
        var condition = status.Conditions!.Single(c => c.Type == type);
        return (condition.Status, condition.Reason);
    }
}
