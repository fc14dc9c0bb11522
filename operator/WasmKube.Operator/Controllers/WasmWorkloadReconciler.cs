using System.Text.Json;
using Microsoft.Extensions.Logging;
using WasmKube.Kube.Client;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Controllers;

/// <summary>
/// Drives one WasmWorkload toward its Deployment, Service and status. Reads come from the shared cache; a write happens
/// only when the live object lacks something we want, so a reconcile with nothing to do makes no requests that write.
/// A write that loses a race (409) is redone from a fresh read. Children carry a controller owner reference, so
/// deleting the workload lets the garbage collector remove them; no finalizer is needed.
/// </summary>
public sealed class WasmWorkloadReconciler(
    IKubernetesClient client,
    InformerCache cache,
    IEventRecorder events,
    WasmWorkloadOptions options,
    ILogger<WasmWorkloadReconciler> logger) : IReconciler
{
    private const int WriteAttempts = 5;
    private readonly SpecChecker _checker = new(cache);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var workload = cache.Get<V1alpha1WasmWorkload>(request.Namespace, request.Name);
        if (workload is null || workload.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var problem = _checker.Check(workload);
        var deployment = cache.Get<V1Deployment>(request.Namespace, request.Name);
        if (problem is null)
        {
            (deployment, problem) = await EnsureDeploymentAsync(workload, deployment, cancellationToken).ConfigureAwait(false);
        }
        if (problem is null)
        {
            problem = await EnsureServiceAsync(workload, cancellationToken).ConfigureAwait(false);
        }
        await UpdateStatusAsync(workload, deployment, problem, cancellationToken).ConfigureAwait(false);
        return problem is null ? ReconcileResult.Done : ReconcileResult.After(options.RecheckInterval);
    }

    private async Task<(V1Deployment?, SpecProblem?)> EnsureDeploymentAsync(
        V1alpha1WasmWorkload workload, V1Deployment? cached, CancellationToken cancellationToken)
    {
        var desired = DesiredResources.Deployment(workload);
        var meta = workload.Metadata;
        for (var attempt = 0; ; attempt++)
        {
            var current = attempt == 0 ? cached : await client.GetAsync<V1Deployment>(meta.Namespace, meta.Name!, cancellationToken).ConfigureAwait(false);
            try
            {
                if (current is null)
                {
                    var created = await client.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                    await events.RecordAsync(workload, EventSeverity.Normal, "CreatedDeployment", $"Created Deployment {meta.Name}", cancellationToken).ConfigureAwait(false);
                    return (created, null);
                }
                if (!current.IsControlledBy(workload))
                {
                    return (null, NotOwned("Deployment", meta.Name!));
                }
                if (IsUpToDate(current, desired, KubeJsonContext.Default.V1Deployment))
                {
                    return (current, null);
                }
                var next = current.DeepClone();
                next.Metadata.Labels = Merge(next.Metadata.Labels, desired.Metadata.Labels);
                KeepKubectlAnnotations(current, desired);
                next.Spec = desired.Spec;
                var updated = await client.ReplaceAsync(next, cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(workload, EventSeverity.Normal, "UpdatedDeployment", $"Updated Deployment {meta.Name} to match the spec", cancellationToken).ConfigureAwait(false);
                return (updated, null);
            }
            catch (KubernetesApiException e) when ((e.IsConflict || e.IsAlreadyExists) && attempt + 1 < WriteAttempts)
            {
                logger.LogDebug("Deployment {Namespace}/{Name}: {Reason}; retrying from a fresh read", meta.Namespace, meta.Name, e.Status?.Reason);
            }
            catch (KubernetesApiException e) when (e.IsInvalid)
            {
                await events.RecordAsync(workload, EventSeverity.Warning, "InvalidDeployment", e.Status?.Message ?? e.Message, cancellationToken).ConfigureAwait(false);
                return (current, new SpecProblem("InvalidDeployment", $"The API server rejected the Deployment: {e.Status?.Message}"));
            }
        }
    }

    private async Task<SpecProblem?> EnsureServiceAsync(V1alpha1WasmWorkload workload, CancellationToken cancellationToken)
    {
        var desired = DesiredResources.Service(workload);
        var meta = workload.Metadata;
        for (var attempt = 0; ; attempt++)
        {
            var current = attempt == 0
                ? cache.Get<V1Service>(meta.Namespace, meta.Name!)
                : await client.GetAsync<V1Service>(meta.Namespace, meta.Name!, cancellationToken).ConfigureAwait(false);
            try
            {
                if (desired is null)
                {
                    // Ports were removed: the Service we made has nothing left to route.
                    if (current is not null && current.IsControlledBy(workload))
                    {
                        await client.DeleteAsync<V1Service>(meta.Namespace, meta.Name!, cancellationToken: cancellationToken).ConfigureAwait(false);
                        await events.RecordAsync(workload, EventSeverity.Normal, "DeletedService", $"Deleted Service {meta.Name}: no ports declared", cancellationToken).ConfigureAwait(false);
                    }
                    return null;
                }
                if (current is null)
                {
                    await client.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                    await events.RecordAsync(workload, EventSeverity.Normal, "CreatedService", $"Created Service {meta.Name}", cancellationToken).ConfigureAwait(false);
                    return null;
                }
                if (!current.IsControlledBy(workload))
                {
                    return NotOwned("Service", meta.Name!);
                }
                if (IsUpToDate(current, desired, KubeJsonContext.Default.V1Service))
                {
                    return null;
                }
                var next = current.DeepClone();
                next.Metadata.Labels = Merge(next.Metadata.Labels, desired.Metadata.Labels);
                // The cluster IP is allocated once and immutable: keep it.
                desired.Spec!.ClusterIP = current.Spec?.ClusterIP;
                next.Spec = desired.Spec;
                await client.ReplaceAsync(next, cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(workload, EventSeverity.Normal, "UpdatedService", $"Updated Service {meta.Name} to match the spec", cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (KubernetesApiException e) when ((e.IsConflict || e.IsAlreadyExists || (e.IsNotFound && desired is null)) && attempt + 1 < WriteAttempts)
            {
                logger.LogDebug("Service {Namespace}/{Name}: {Reason}; retrying from a fresh read", meta.Namespace, meta.Name, e.Status?.Reason);
            }
            catch (KubernetesApiException e) when (e.IsInvalid)
            {
                await events.RecordAsync(workload, EventSeverity.Warning, "InvalidService", e.Status?.Message ?? e.Message, cancellationToken).ConfigureAwait(false);
                return new SpecProblem("InvalidService", $"The API server rejected the Service: {e.Status?.Message}");
            }
        }
    }

    private async Task UpdateStatusAsync(
        V1alpha1WasmWorkload workload, V1Deployment? deployment, SpecProblem? problem, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var target = workload;
        for (var attempt = 0; ; attempt++)
        {
            var next = WorkloadStatus.Compute(target, deployment, problem, now);
            if (WorkloadStatus.SameAs(target.Status, next))
            {
                return;
            }
            var previousDegraded = target.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Degraded);
            var copy = target.DeepClone();
            copy.Status = next;
            try
            {
                await client.ReplaceStatusAsync(copy, cancellationToken).ConfigureAwait(false);
                if (problem is not null && previousDegraded?.Reason != problem.Reason)
                {
                    await events.RecordAsync(workload, EventSeverity.Warning, problem.Reason, problem.Message, cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            catch (KubernetesApiException e) when (e.IsConflict && attempt + 1 < WriteAttempts)
            {
                var fresh = await client.GetAsync<V1alpha1WasmWorkload>(workload.Metadata.Namespace, workload.Metadata.Name!, cancellationToken).ConfigureAwait(false);
                if (fresh is null || fresh.Metadata.Uid != workload.Metadata.Uid)
                {
                    return;
                }
                target = fresh;
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                return;
            }
        }
    }

    /// <summary>Spec and labels already say what we want? (Owner references are checked separately: others may add theirs.)</summary>
    private static bool IsUpToDate<T>(T current, T desired, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class, IKubernetesObject<T>
    {
        var live = JsonSerializer.SerializeToNode(current, typeInfo)!;
        var want = JsonSerializer.SerializeToNode(desired, typeInfo)!;
        return JsonSubset.Contains(live["spec"], want["spec"])
            && JsonSubset.Contains(live["metadata"]?["labels"], want["metadata"]?["labels"]);
    }

    /// <summary>`kubectl rollout restart` stamps the pod template; dropping the stamp on our next update would restart again.</summary>
    private static void KeepKubectlAnnotations(V1Deployment current, V1Deployment desired)
    {
        var annotations = desired.Spec!.Template.Metadata!.Annotations ??= new Dictionary<string, string>();
        foreach (var (key, value) in current.Spec?.Template.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            if (key.StartsWith("kubectl.kubernetes.io/", StringComparison.Ordinal))
            {
                annotations.TryAdd(key, value);
            }
        }
    }

    private static IDictionary<string, string> Merge(IDictionary<string, string>? current, IDictionary<string, string>? wanted)
    {
        var merged = new Dictionary<string, string>(current ?? new Dictionary<string, string>());
        foreach (var (key, value) in wanted ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }
        return merged;
    }

    private static SpecProblem NotOwned(string kind, string name) => new(
        $"{kind}NotOwned",
        $"A {kind} named '{name}' already exists and is not controlled by this WasmWorkload; delete or rename it so the operator can manage it.");
}
