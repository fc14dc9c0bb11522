using WasmKube.Kube.Models;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Controllers;

/// <summary>Derives a WasmWorkload's status from its Deployment (a pure function, so it is tested without a server).</summary>
public static class WorkloadStatus
{
    public static V1alpha1WasmWorkloadStatus Compute(
        V1alpha1WasmWorkload workload,
        V1Deployment? deployment,
        SpecProblem? problem,
        DateTimeOffset now)
    {
        var generation = workload.Metadata.Generation;
        var desired = workload.Spec.Replicas ?? 1;
        var status = deployment?.Status ?? new V1DeploymentStatus();
        var ready = status.ReadyReplicas ?? 0;
        var updated = status.UpdatedReplicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        var total = status.Replicas ?? 0;
        var observedCurrent = deployment is not null
            && (status.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0);
        var rolledOut = observedCurrent && updated >= desired && total == updated && available >= updated;
        var deadlineExceeded = status.Conditions?.FirstOrDefault(c => c.Type == "Progressing") is { Reason: "ProgressDeadlineExceeded" };
        var replicaFailure = status.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True");

        (string Status, string Reason, string Message) readyCondition = problem is not null
            ? ("False", problem.Reason, problem.Message)
            : deployment is null
                ? ("False", "DeploymentMissing", "The Deployment has not been created yet.")
                : desired == 0 && rolledOut
                    ? ("True", "ScaledToZero", "Scaled to zero replicas.")
                    : ready >= desired && rolledOut
                        ? ("True", "AllReplicasReady", $"{ready}/{desired} replicas ready.")
                        : ("False", "ReplicasNotReady", $"{ready}/{desired} replicas ready.");

        (string Status, string Reason, string Message) progressing = deadlineExceeded
            ? ("False", "ProgressDeadlineExceeded", "The rollout made no progress within its deadline.")
            : rolledOut
                ? ("False", "RolloutComplete", $"{updated}/{desired} replicas run the current template.")
                : ("True", "RollingOut", $"{updated}/{desired} replicas run the current template.");

        (string Status, string Reason, string Message) degraded = problem is not null
            ? ("True", problem.Reason, problem.Message)
            : deadlineExceeded
                ? ("True", "ProgressDeadlineExceeded", "The rollout made no progress within its deadline; check the pods' events.")
                : replicaFailure is not null
                    ? ("True", "ReplicaFailure", replicaFailure.Message ?? "Pods could not be created.")
                    : ("False", "AsExpected", "No problems found.");

        return new V1alpha1WasmWorkloadStatus
        {
            ObservedGeneration = generation,
            Replicas = total,
            ReadyReplicas = ready,
            AvailableReplicas = available,
            UpdatedReplicas = updated,
            Selector = WorkloadLabels.SelectorString(workload),
            Conditions =
            [
                Condition(ConditionTypes.Ready, readyCondition, generation, now, workload.Status),
                Condition(ConditionTypes.Progressing, progressing, generation, now, workload.Status),
                Condition(ConditionTypes.Degraded, degraded, generation, now, workload.Status),
            ],
        };
    }

    /// <summary>True when both statuses say the same thing (condition times aside, which Compute carries over).</summary>
    public static bool SameAs(V1alpha1WasmWorkloadStatus? current, V1alpha1WasmWorkloadStatus next)
    {
        if (current is null)
        {
            return false;
        }
        if (current.ObservedGeneration != next.ObservedGeneration || current.Replicas != next.Replicas
            || current.ReadyReplicas != next.ReadyReplicas || current.AvailableReplicas != next.AvailableReplicas
            || current.UpdatedReplicas != next.UpdatedReplicas || current.Selector != next.Selector)
        {
            return false;
        }
        var left = current.Conditions ?? [];
        var right = next.Conditions ?? [];
        return left.Count == right.Count && left.Zip(right).All(pair =>
            pair.First.Type == pair.Second.Type && pair.First.Status == pair.Second.Status
            && pair.First.Reason == pair.Second.Reason && pair.First.Message == pair.Second.Message
            && pair.First.ObservedGeneration == pair.Second.ObservedGeneration
            && pair.First.LastTransitionTime == pair.Second.LastTransitionTime);
    }

    private static V1Condition Condition(
        string type,
        (string Status, string Reason, string Message) value,
        long? generation,
        DateTimeOffset now,
        V1alpha1WasmWorkloadStatus? previous)
    {
        // lastTransitionTime moves only when the status flips (metav1.Condition contract).
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == type);
        return new V1Condition
        {
            Type = type,
            Status = value.Status,
            Reason = value.Reason,
            Message = value.Message,
            ObservedGeneration = generation,
            LastTransitionTime = before is not null && before.Status == value.Status ? before.LastTransitionTime : now,
        };
    }
}
