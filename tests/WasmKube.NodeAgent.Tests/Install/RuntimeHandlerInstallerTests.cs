using WasmKube.NodeAgent.Containerd;
using WasmKube.NodeAgent.Install;

namespace WasmKube.NodeAgent.Tests.Install;

public sealed class RuntimeHandlerInstallerTests : IDisposable
{
    private static readonly RuntimeHandler Handler = new(
        "wasmkube", "io.containerd.wasmkube.v1", "/opt/wasmkube/bin/containerd-shim-wasmkube-v1", []);

    private readonly TempDirectory _host = new();

    [Fact]
    public async Task Registers_on_a_plain_node_with_a_backup_of_the_original()
    {
        var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Containerd", "Configs", "custom-runtimes.toml"));
        WriteHostFile("/etc/containerd/config.toml", original);
        var (installer, target) = Create();

        var first = await installer.RegisterAsync(target, Handler);
        var second = await installer.RegisterAsync(target, Handler);

        Assert.True(first.Changed);
        Assert.Equal(CgroupDriver.Systemd, first.CgroupDriver);
        Assert.Equal(original, File.ReadAllText(first.BackupPath!));
        Assert.False(second.Changed);
        var edited = ReadHostFile("/etc/containerd/config.toml");
        Assert.StartsWith(original, edited, StringComparison.Ordinal);
        Assert.Contains("runtime_type = \"/opt/wasmkube/bin/containerd-shim-wasmkube-v1\"", edited, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_host.Combine("etc", "containerd"), "*candidate*"));
    }

    [Fact]
    public async Task A_node_without_a_config_gets_the_defaults_plus_the_handler()
    {
        var (installer, target) = Create();

        var result = await installer.RegisterAsync(target, Handler);

        Assert.True(result.Changed);
        Assert.Null(result.BackupPath);
        var written = ReadHostFile("/etc/containerd/config.toml");
        Assert.Contains("runtime_type = \"io.containerd.runc.v2\"", written, StringComparison.Ordinal);
        Assert.Contains("runtime_type = \"/opt/wasmkube/bin/containerd-shim-wasmkube-v1\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_restores_the_users_file()
    {
        var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Containerd", "Configs", "version1.toml"));
        WriteHostFile("/etc/containerd/config.toml", original);
        var (installer, target) = Create();
        await installer.RegisterAsync(target, Handler);

        var removed = await installer.UnregisterAsync(target, Handler.Name);

        Assert.True(removed.Changed);
        Assert.Equal(original, ReadHostFile("/etc/containerd/config.toml"));
    }

    [Fact]
    public async Task A_config_containerd_refuses_is_left_unchanged()
    {
        // Parses as TOML, but containerd cannot decode a string where it expects a number.
        const string original = "version = 2\noom_score = \"high\"\n";
        WriteHostFile("/etc/containerd/config.toml", original);
        var (installer, target) = Create();

        var error = await Assert.ThrowsAsync<ContainerdConfigException>(() => installer.RegisterAsync(target, Handler));

        Assert.Contains("left unchanged", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, ReadHostFile("/etc/containerd/config.toml"));
        Assert.False(File.Exists(_host.Combine("etc", "containerd", "config.toml" + RuntimeHandlerInstaller.BackupSuffix)));
    }

    [Fact]
    public async Task A_k3s_node_gets_a_template_that_renders_the_base_config()
    {
        WriteHostFile("/var/lib/rancher/k3s/agent/etc/containerd/config.toml", "version = 2\n");
        var (installer, target) = Create();

        var result = await installer.RegisterAsync(target, Handler);

        Assert.Equal(ContainerdFlavor.K3s, target.Flavor);
        Assert.True(result.Changed);
        var template = ReadHostFile("/var/lib/rancher/k3s/agent/etc/containerd/config.toml.tmpl");
        Assert.StartsWith("{{ template \"base\" . }}\n", template, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.wasmkube]", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Distributions_are_told_apart_by_their_files()
    {
        Assert.Equal(ContainerdFlavor.Plain, ContainerdConfigLocator.Locate(_host.Path).Flavor);
        Directory.CreateDirectory(_host.Combine("etc", "k0s", "containerd.d"));
        Assert.Equal(ContainerdFlavor.K0s, ContainerdConfigLocator.Locate(_host.Path).Flavor);
        WriteHostFile("/var/snap/microk8s/current/args/containerd-template.toml", "");
        Assert.Equal(ContainerdFlavor.MicroK8s, ContainerdConfigLocator.Locate(_host.Path).Flavor);
        Assert.Equal("/custom.toml", ContainerdConfigLocator.Locate(_host.Path, "/custom.toml").ConfigPath);
    }

    public void Dispose() => _host.Dispose();

    private (RuntimeHandlerInstaller Installer, ContainerdConfigTarget Target) Create() =>
        (new RuntimeHandlerInstaller(new HostCommands(_host.Path, enterHostNamespaces: false)), ContainerdConfigLocator.Locate(_host.Path));

    private void WriteHostFile(string path, string text)
    {
        var local = HostRoot.Resolve(_host.Path, path);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.WriteAllText(local, text);
    }

    private string ReadHostFile(string path) => File.ReadAllText(HostRoot.Resolve(_host.Path, path));
}
