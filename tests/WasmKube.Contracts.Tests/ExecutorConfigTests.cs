namespace WasmKube.Contracts.Tests;

public sealed class ExecutorConfigTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"executor-config-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Fields_a_configuration_leaves_out_take_their_defaults()
    {
        File.WriteAllText(_file, """{"modulePath": "/app.wasm"}""");

        var config = ExecutorConfig.Load(_file);

        Assert.Equal(("", "/"), (config.Entrypoint, config.Cwd));
        Assert.Empty(config.Args);
        Assert.Empty(config.Env);
        Assert.Empty(config.Preopens);
        Assert.Empty(config.ListenPorts);
        Assert.Empty(config.ReleaseBeforeStart);
    }

    [Fact]
    public void A_saved_configuration_loads_as_it_was()
    {
        var saved = new ExecutorConfig
        {
            ModulePath = "/rootfs/app.wasm", Entrypoint = "/app.wasm", Args = ["/app.wasm", "--port", "8080"], Env = ["A=1"],
            Preopens = [new Preopen("/", "/rootfs", true)], Cwd = "/data", MaxMemoryBytes = 64 << 20, Fuel = 1000,
            Timeout = TimeSpan.FromSeconds(30), ListenPorts = [8080], EngineStatsFd = 9, ReleaseBeforeStart = [6, 8],
        };
        saved.Save(_file);

        var loaded = ExecutorConfig.Load(_file);

        Assert.Equal(saved.Args, loaded.Args);
        Assert.Equal(saved.Preopens, loaded.Preopens);
        Assert.Equal(saved.ListenPorts, loaded.ListenPorts);
        Assert.Equal(saved.ReleaseBeforeStart, loaded.ReleaseBeforeStart);
        Assert.Equal((saved.Cwd, saved.MaxMemoryBytes, saved.Fuel, saved.Timeout, saved.EngineStatsFd), (loaded.Cwd, loaded.MaxMemoryBytes, loaded.Fuel, loaded.Timeout, loaded.EngineStatsFd));
    }
}
