namespace WasmKube.NodeAgent.Tests;

public sealed class NodeAgentCommandLineTests
{
    [Fact]
    public void The_shim_is_registered_through_the_current_link_of_the_install_root()
    {
        var options = NodeAgentCommandLine.Parse(["--install-dir", "/var/lib/wasmkube", "--config-dir=/etc/wasmkube"])!;

        Assert.Equal("/var/lib/wasmkube/current/containerd-shim-wasmkube-v1", options.ShimPath);
        Assert.Equal("/etc/wasmkube", options.ConfigDirectory);
        Assert.Equal("/opt/wasmkube/current/containerd-shim-wasmkube-v1", new NodeAgentOptions().ShimPath);
    }

    [Fact]
    public void A_restart_command_is_split_into_program_and_arguments_and_rollback_is_a_mode()
    {
        var options = NodeAgentCommandLine.Parse(["--restart-command", "/usr/sbin/rc-service  containerd restart", "--rollback"])!;

        Assert.Equal(["/usr/sbin/rc-service", "containerd", "restart"], options.RestartCommand);
        Assert.True(options.Rollback);
        Assert.Null(new NodeAgentOptions().RestartCommand);
    }

    [Fact]
    public void An_empty_restart_command_is_refused_with_the_flag_named()
    {
        var error = Assert.Throws<ArgumentException>(() => NodeAgentCommandLine.Parse(["--restart-command", " "]));

        Assert.Contains("--restart-command needs a program", error.Message, StringComparison.Ordinal);
    }
}
