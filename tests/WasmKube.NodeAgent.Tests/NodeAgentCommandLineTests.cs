using System.Net;
using System.Text.RegularExpressions;
using WasmKube.Endpoints;
using WasmKube.Kube.Testing;

namespace WasmKube.NodeAgent.Tests;

public sealed partial class NodeAgentCommandLineTests
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

    [Fact]
    public void Both_spellings_give_the_same_options_and_equals_splits_only_once()
    {
        var spaced = NodeAgentCommandLine.Parse(["--listen", "http://127.0.0.1:9999", "--containerd-config", "/etc/a=b.toml", "--node-name", "n1", "--no-restart"])!;
        var joined = NodeAgentCommandLine.Parse(["--listen=http://127.0.0.1:9999", "--containerd-config=/etc/a=b.toml", "--node-name=n1", "--no-restart"])!;

        Assert.Equal(spaced, joined);
        Assert.Equal(new EndpointAddress(IPAddress.Loopback, 9999), joined.ListenAddress);
        Assert.Equal("/etc/a=b.toml", joined.ContainerdConfig);
        Assert.False(joined.RestartContainerd);
    }

    [Fact]
    public void No_flags_give_the_defaults()
    {
        Assert.Equal(new NodeAgentOptions(), NodeAgentCommandLine.Parse([]));
        Assert.Null(NodeAgentCommandLine.Parse(["--help"]));
    }

    [Fact]
    public void Bad_flags_are_refused_with_the_flag_named()
    {
        foreach (var (args, named) in new[]
        {
            (new[] { "--listen", "9464" }, "--listen"),
            (["--listen=nowhere"], "--listen"),
            (["--handler"], "--handler"),
            (["--host-rot=/"], "--host-rot"),
            // The RuntimeClass is a fixed contract with the operator, so it is no flag any more.
            (["--runtime-class", "other"], "--runtime-class"),
        })
        {
            Assert.Contains(named, Assert.Throws<ArgumentException>(() => NodeAgentCommandLine.Parse(args)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_program_exits_2_naming_a_bad_flag_and_0_with_the_help()
    {
        var (bad, _, error) = await RunAsync("--standalone", "--runtime-class=wasm");
        Assert.Equal(2, bad);
        Assert.Contains("--runtime-class", error, StringComparison.Ordinal);

        var (help, output, _) = await RunAsync("--help");
        Assert.Equal(0, help);
        Assert.Equal(NodeAgentCommandLine.HelpText, output);
    }

    [Fact]
    public void The_help_and_the_readme_list_the_same_flags()
    {
        var readme = File.ReadAllText(Path.Combine(Checkout.Root, "node-agent", "README.md"));
        var table = string.Join('\n', readme.Split('\n').Where(line => line.StartsWith("| `--", StringComparison.Ordinal)));

        Assert.Equal(Flags(NodeAgentCommandLine.HelpText).Where(f => f != "--help"), Flags(table));
    }

    private static SortedSet<string> Flags(string text) => new(FlagPattern().Matches(text).Select(m => m.Value), StringComparer.Ordinal);

    [GeneratedRegex("(?<![\\w-])--[a-z][a-z-]+")]
    private static partial Regex FlagPattern();

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        DotnetProgram.RunAsync(typeof(NodeAgentCommandLine).Assembly, args);
}
