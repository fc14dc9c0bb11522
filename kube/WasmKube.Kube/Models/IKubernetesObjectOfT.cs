namespace WasmKube.Kube.Models;

/// <summary>
/// An API object type that knows where it lives on the server and how to (de)serialize itself without reflection,
/// so generic client calls need no extra arguments: <c>client.GetAsync&lt;V1Deployment&gt;(ns, name)</c>.
/// </summary>
public interface IKubernetesObject<TSelf> : IKubernetesObject
    where TSelf : class, IKubernetesObject<TSelf>
{
    static abstract ResourceDefinition<TSelf> Definition { get; }
}
