using WasmKube.Kube.Testing.Envtest;

namespace WasmKube.Kube.Testing.Tests.Envtest;

/// <summary>One control plane from <see cref="StandInAssets.Create"/> shared by the tests of a class.</summary>
public sealed class EnvtestControlPlaneFixture : IAsyncLifetime
{
    StandInAssets? _assets;
    EnvtestControlPlane? _plane;

    public EnvtestControlPlane Plane => _plane ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _assets = StandInAssets.Create();
        _plane = await EnvtestControlPlane.StartAsync(_assets.Directory);
    }

    public async Task DisposeAsync()
    {
        if (_plane is not null)
        {
            await _plane.DisposeAsync();
        }
        _assets?.Dispose();
    }
}
