namespace WasmKube.Kube.Controllers;

/// <summary>What to reconcile: the namespace and name of one object (controller-runtime's reconcile.Request).</summary>
public readonly record struct ReconcileRequest(string? Namespace, string Name)
{
    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
