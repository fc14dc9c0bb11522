namespace WasmKube.Operator.Tests;

/// <summary>
/// A test that relies on the garbage collector deleting dependents whose owner is gone. The test server and real
/// clusters (kube-controller-manager) have one; an envtest control plane is only etcd and kube-apiserver, so there
/// the test is skipped, saying why.
/// </summary>
public sealed class GarbageCollectorFactAttribute : FactAttribute
{
    public GarbageCollectorFactAttribute()
    {
        if (ClusterUnderTest.EnvtestAssets is { } assets)
        {
            Skip = $"needs kube-controller-manager's garbage collector, and the envtest control plane of KUBEBUILDER_ASSETS={assets} runs only etcd and kube-apiserver";
        }
    }
}
