using WasmKube.NodeAgent.Install;

namespace WasmKube.NodeAgent.Tests.Install;

public sealed class ContainerdServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private static readonly ContainerdConfigTarget Target = ContainerdConfigLocator.Locate("/", "/etc/containerd/config.toml");

    [Fact]
    public async Task A_restart_command_replaces_systemctl()
    {
        var marker = _temp.Combine("restarted");
        var service = new ContainerdService(new HostCommands("/", enterHostNamespaces: false), ["touch", marker]);

        await service.RestartAsync(Target, CancellationToken.None);

        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task A_failing_restart_command_is_an_error_with_its_exit_code_and_output()
    {
        var service = new ContainerdService(new HostCommands("/", enterHostNamespaces: false), ["ls", _temp.Combine("missing")]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.RestartAsync(Target, CancellationToken.None));

        Assert.Contains($"the restart command ls {_temp.Combine("missing")} exited with 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
