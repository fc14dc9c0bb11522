using System.Text.Json.Nodes;
using WasmKube.Contracts;
using WasmKube.Kube.Client;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;

namespace WasmKube.NodeAgent.Kubernetes;

/// <summary>
/// What the agent tells the cluster about its node: the readiness label the RuntimeClass schedules on, Events that
/// explain a failure, and the RuntimeClass itself (cluster-wide, so every agent ensures it and none deletes it).
/// </summary>
public sealed class NodeRegistration(IKubernetesClient client, IEventRecorder events)
{
    public async Task MarkAsync(string nodeName, bool ready, string reason, string message, CancellationToken cancellationToken)
    {
        var labels = new JsonObject { [RuntimeNames.NodeLabel] = ready ? RuntimeNames.NodeReady : RuntimeNames.NodeFailed };
        var node = await client.PatchAsync<V1Node>(null, nodeName, MetadataLabelsPatch(labels), cancellationToken: cancellationToken).ConfigureAwait(false);
        await events.RecordAsync(node, ready ? EventSeverity.Normal : EventSeverity.Warning, reason, message, cancellationToken).ConfigureAwait(false);
    }

    public async Task UnmarkAsync(string nodeName, CancellationToken cancellationToken)
    {
        var labels = new JsonObject { [RuntimeNames.NodeLabel] = null };
        await client.PatchAsync<V1Node>(null, nodeName, MetadataLabelsPatch(labels), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the RuntimeClass, or brings its handler and node selector back to what they must be.</summary>
    public async Task EnsureRuntimeClassAsync(string name, string handler, CancellationToken cancellationToken)
    {
        var desired = new V1RuntimeClass
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "wasmkube-node-agent" } },
            Handler = handler,
            Scheduling = new V1RuntimeClassScheduling { NodeSelector = new Dictionary<string, string> { [RuntimeNames.NodeLabel] = RuntimeNames.NodeReady } },
        };

        var existing = await client.GetAsync<V1RuntimeClass>(null, name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            try
            {
                await client.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubernetesApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // Another node's agent created it first; fall through and check it.
                existing = await client.GetAsync<V1RuntimeClass>(null, name, cancellationToken).ConfigureAwait(false);
                if (existing is null) throw;
            }
        }

        var selector = existing.Scheduling?.NodeSelector;
        if (existing.Handler == handler && selector is not null && selector.TryGetValue(RuntimeNames.NodeLabel, out var value) && value == RuntimeNames.NodeReady) return;

        // RuntimeClass.handler is immutable in the API, so a wrong one needs a delete and a create.
        if (existing.Handler != handler)
        {
            await client.DeleteAsync<V1RuntimeClass>(null, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            await client.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
            return;
        }

        existing.Scheduling = desired.Scheduling;
        await client.ReplaceAsync(existing, cancellationToken).ConfigureAwait(false);
    }

    private static KubernetesPatch MetadataLabelsPatch(JsonObject labels) =>
        new(PatchType.Merge, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels } }.ToJsonString());
}
