namespace WasmKube.Operator.Tests;

/// <summary>
/// A test that needs the in-process test API server's hooks (fault injection, the request log). It runs wherever the
/// tests use that server, CI included, and is skipped, saying why, when they target a real cluster or envtest.
/// </summary>
public sealed class TestServerFactAttribute : FactAttribute
{
    public TestServerFactAttribute()
    {
        if (ClusterUnderTest.ExternalKubeconfig is { } kubeconfig)
        {
            Skip = $"needs the in-process test API server's fault injection and request log; the tests target the cluster of {kubeconfig}";
        }
        else if (ClusterUnderTest.EnvtestAssets is { } assets)
        {
            Skip = $"needs the in-process test API server's fault injection and request log; the tests target the envtest control plane of KUBEBUILDER_ASSETS={assets}";
        }
    }
}
