using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing;

/// <summary>
/// The status the deployment controller reports for a Deployment whose current generation has
/// <c>ready</c> of <c>desired</c> replicas ready, for fixtures that stand in for that controller.
/// </summary>
public static class DeploymentReadiness
{
    /// <param name="now">Timestamp for the conditions, RFC 3339 as the API server writes it.</param>
    public static JsonObject Status(string name, long? generation, int desired, int ready, string now)
    {
        var status = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["replicas"] = desired,
            ["updatedReplicas"] = desired,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["conditions"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Available",
                    ["status"] = ready >= desired ? "True" : "False",
                    ["lastUpdateTime"] = now,
                    ["lastTransitionTime"] = now,
                    ["reason"] = ready >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    ["message"] = ready >= desired ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                },
                new JsonObject
                {
                    ["type"] = "Progressing",
                    ["status"] = "True",
                    ["lastUpdateTime"] = now,
                    ["lastTransitionTime"] = now,
                    ["reason"] = "NewReplicaSetAvailable",
                    ["message"] = $"ReplicaSet \"{name}\" has successfully progressed.",
                }),
        };
        if (ready < desired)
        {
            status["unavailableReplicas"] = desired - ready;
        }
        return status;
    }
}
