using WasmKube.NodeAgent.Install;

namespace WasmKube.NodeAgent.Tests.Install;

public sealed class BinaryInstallerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Installs_every_file_with_its_mode_then_changes_nothing()
    {
        var source = CreateSource(("containerd-shim-wasmkube-v1", "shim v1"), ("lib/engine.dll", "engine"));
        var target = _temp.Combine("opt", "wasmkube", "bin");
        var installer = new BinaryInstaller(source, target);

        var first = await installer.InstallAsync();
        var second = await installer.InstallAsync();

        Assert.Equal(["containerd-shim-wasmkube-v1", Path.Combine("lib", "engine.dll")], first);
        Assert.Empty(second);
        Assert.Equal("shim v1", File.ReadAllText(Path.Combine(target, "containerd-shim-wasmkube-v1")));
        Assert.True(File.GetUnixFileMode(Path.Combine(target, "containerd-shim-wasmkube-v1")).HasFlag(UnixFileMode.UserExecute));
        Assert.True(File.Exists(Path.Combine(target, BinaryInstaller.LockFileName)));
    }

    [Fact]
    public async Task A_new_version_or_a_file_changed_on_the_host_is_replaced()
    {
        var source = CreateSource(("containerd-shim-wasmkube-v1", "shim v1"), ("other", "same"));
        var target = _temp.Combine("bin");
        var installer = new BinaryInstaller(source, target);
        await installer.InstallAsync();

        File.WriteAllText(Path.Combine(source, "containerd-shim-wasmkube-v1"), "shim v2");
        File.WriteAllText(Path.Combine(target, "other"), "tampered");
        var changed = await installer.InstallAsync();

        Assert.Equal(["containerd-shim-wasmkube-v1", "other"], changed);
        Assert.Equal("shim v2", File.ReadAllText(Path.Combine(target, "containerd-shim-wasmkube-v1")));
        Assert.Equal("same", File.ReadAllText(Path.Combine(target, "other")));
        Assert.Empty(Directory.GetFiles(target, "*.tmp"));
    }

    [Fact]
    public async Task Uninstall_removes_only_what_was_installed()
    {
        var source = CreateSource(("containerd-shim-wasmkube-v1", "shim"));
        var target = _temp.Combine("bin");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "someone-elses-tool"), "keep");
        var installer = new BinaryInstaller(source, target);
        await installer.InstallAsync();

        var removed = installer.Uninstall();

        Assert.Equal(["containerd-shim-wasmkube-v1"], removed);
        Assert.Equal(["someone-elses-tool"], Directory.GetFiles(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_missing_source_names_the_path()
    {
        var installer = new BinaryInstaller(_temp.Combine("nowhere"), _temp.Combine("bin"));

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => installer.InstallAsync());

        Assert.Contains(_temp.Combine("nowhere"), error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private string CreateSource(params (string Path, string Content)[] files)
    {
        var source = _temp.Combine("source");
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(source, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        return source;
    }
}
