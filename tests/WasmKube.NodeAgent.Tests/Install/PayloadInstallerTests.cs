using WasmKube.NodeAgent.Install;

namespace WasmKube.NodeAgent.Tests.Install;

public sealed class PayloadInstallerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeUsage _usage = new();

    private string Root => _temp.Combine("opt", "wasmkube");

    [Fact]
    public async Task Installs_a_version_folder_with_modes_and_points_current_at_it_then_changes_nothing()
    {
        var source = Payload.Create(_temp.Combine("v1"), "1.0.0", ("containerd-shim-wasmkube-v1", "shim v1"), ("lib/engine.so", "engine"));
        var installer = new PayloadInstaller(source, Root, _usage);

        var first = await installer.InstallAsync();
        var second = await installer.InstallAsync();

        Assert.Equal(new PayloadInstallation("1.0.0", true, true, null, []), first with { Removed = [] });
        Assert.False(second.Copied || second.Switched);
        Assert.Equal("1.0.0", new FileInfo(Path.Combine(Root, "current")).LinkTarget);
        var shim = Path.Combine(Root, "current", "containerd-shim-wasmkube-v1");
        Assert.Equal("shim v1", File.ReadAllText(shim));
        Assert.True(File.GetUnixFileMode(shim).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("engine", File.ReadAllText(Path.Combine(Root, "1.0.0", "lib", "engine.so")));
        Assert.Equal(["1.0.0", "current"], Entries(Root));
    }

    [Fact]
    public async Task An_upgrade_switches_current_keeps_the_old_version_as_previous_and_a_rollback_is_one_switch()
    {
        var installer1 = new PayloadInstaller(Payload.Create(_temp.Combine("v1"), "1.0.0", ("containerd-shim-wasmkube-v1", "shim v1")), Root, _usage);
        var installer2 = new PayloadInstaller(Payload.Create(_temp.Combine("v2"), "2.0.0", ("containerd-shim-wasmkube-v1", "shim v2")), Root, _usage);
        await installer1.InstallAsync();
        // A process started from 1.0.0 holds its file open: the switch must leave that file as it is.
        await using var running = File.OpenRead(Path.Combine(Root, "current", "containerd-shim-wasmkube-v1"));

        var upgrade = await installer2.InstallAsync();

        Assert.True(upgrade.Switched);
        Assert.Equal("1.0.0", upgrade.Previous);
        Assert.Equal("shim v2", File.ReadAllText(Path.Combine(Root, "current", "containerd-shim-wasmkube-v1")));
        Assert.Equal("shim v1", new StreamReader(running).ReadToEnd());
        Assert.Equal("1.0.0", installer2.PreviousVersion);

        var rollback = await installer2.RollbackAsync();

        Assert.Equal(("1.0.0", "2.0.0"), (rollback.Version, rollback.Previous));
        Assert.Equal("shim v1", File.ReadAllText(Path.Combine(Root, "current", "containerd-shim-wasmkube-v1")));
        Assert.Equal(("1.0.0", "2.0.0"), (installer2.CurrentVersion, installer2.PreviousVersion));
        // The agent of the newer image, started again, only switches back: its files are there and verified.
        var again = await installer2.InstallAsync();
        Assert.Equal((false, true, "2.0.0"), (again.Copied, again.Switched, installer2.CurrentVersion));
    }

    [Fact]
    public async Task Versions_older_than_previous_are_removed_unless_a_process_still_runs_from_them()
    {
        foreach (var version in new[] { "1.0.0", "2.0.0" })
            await new PayloadInstaller(Payload.Create(_temp.Combine(version), version, ("shim", version)), Root, _usage).InstallAsync();
        _usage.Running.Add("1.0.0");
        var third = await new PayloadInstaller(Payload.Create(_temp.Combine("3.0.0"), "3.0.0", ("shim", "3")), Root, _usage).InstallAsync();

        Assert.Empty(third.Removed);
        Assert.Equal(["1.0.0", "2.0.0", "3.0.0", "current", "previous"], Entries(Root));

        _usage.Running.Clear();
        var fourth = await new PayloadInstaller(Payload.Create(_temp.Combine("4.0.0"), "4.0.0", ("shim", "4")), Root, _usage).InstallAsync();

        Assert.Equal(["1.0.0", "2.0.0"], fourth.Removed);
        Assert.Equal(["3.0.0", "4.0.0", "current", "previous"], Entries(Root));
    }

    [Fact]
    public async Task A_payload_not_matching_its_checksums_changes_nothing_and_names_the_file()
    {
        var installer1 = new PayloadInstaller(Payload.Create(_temp.Combine("v1"), "1.0.0", ("containerd-shim-wasmkube-v1", "shim v1")), Root, _usage);
        await installer1.InstallAsync();
        var before = Snapshot(Root);
        var source = Payload.Create(_temp.Combine("v2"), "2.0.0", ("containerd-shim-wasmkube-v1", "shim v2"), ("wasmkube-executor", "executor"));
        File.WriteAllText(Path.Combine(source, "wasmkube-executor"), "corrupted in transit");

        var error = await Assert.ThrowsAsync<PayloadException>(() => new PayloadInstaller(source, Root, _usage).InstallAsync());

        Assert.Contains("wasmkube-executor has sha256", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing on the node was changed (current version: 1.0.0)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Root));
    }

    [Theory]
    [InlineData("extra", "extra is not in the manifest")]
    [InlineData("missing", "containerd-shim-wasmkube-v1 is missing")]
    [InlineData("no-manifest", "SHA256SUMS is missing")]
    [InlineData("bad-line", "line 1 is not \"<sha256>  <path>\"")]
    [InlineData("escape", "names a file outside the payload: ../etc/passwd")]
    [InlineData("bad-version", "which is no usable version")]
    public async Task Malformed_payloads_are_refused_with_the_reason(string damage, string reason)
    {
        var source = Payload.Create(_temp.Combine("v1"), "1.0.0", ("containerd-shim-wasmkube-v1", "shim"));
        var manifest = Path.Combine(source, PayloadManifest.FileName);
        switch (damage)
        {
            case "extra": File.WriteAllText(Path.Combine(source, "extra"), "x"); break;
            case "missing": File.Delete(Path.Combine(source, "containerd-shim-wasmkube-v1")); break;
            case "no-manifest": File.Delete(manifest); break;
            case "bad-line": File.WriteAllText(manifest, "not a checksum line\n"); break;
            case "escape": File.AppendAllText(manifest, $"{new string('0', 64)}  ../etc/passwd\n"); break;
            case "bad-version":
                File.WriteAllText(Path.Combine(source, PayloadManifest.VersionFileName), "../../etc\n");
                Payload.WriteManifest(source);
                break;
        }

        var error = await Assert.ThrowsAsync<PayloadException>(() => new PayloadInstaller(source, Root, _usage).InstallAsync());

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Root, "current")));
    }

    [Fact]
    public async Task A_damaged_install_of_the_same_version_is_replaced_whole()
    {
        var installer = new PayloadInstaller(Payload.Create(_temp.Combine("v1"), "1.0.0", ("shim", "shim v1"), ("executor", "exec")), Root, _usage);
        await installer.InstallAsync();
        File.WriteAllText(Path.Combine(Root, "1.0.0", "executor"), "tampered");
        File.WriteAllText(Path.Combine(Root, "1.0.0", "dropped-in"), "x");

        var repaired = await installer.InstallAsync();

        Assert.True(repaired.Copied);
        Assert.Equal("exec", File.ReadAllText(Path.Combine(Root, "current", "executor")));
        Assert.False(File.Exists(Path.Combine(Root, "1.0.0", "dropped-in")));
        Assert.Equal(["1.0.0", "current"], Entries(Root));
    }

    [Fact]
    public async Task Leftovers_of_an_interrupted_install_are_cleared_and_never_become_current()
    {
        var installer = new PayloadInstaller(Payload.Create(_temp.Combine("v1"), "1.0.0", ("shim", "shim")), Root, _usage);
        Directory.CreateDirectory(Path.Combine(Root, ".wasmkube-staging-1.0.0-99", "half"));
        File.CreateSymbolicLink(Path.Combine(Root, ".wasmkube-link-current-99"), "nowhere");

        await installer.InstallAsync();

        Assert.Equal(["1.0.0", "current"], Entries(Root));
    }

    [Fact]
    public async Task Rollback_without_a_previous_version_says_so()
    {
        var installer = new PayloadInstaller(Payload.Create(_temp.Combine("v1"), "1.0.0", ("shim", "shim")), Root, _usage);
        await installer.InstallAsync();

        var error = await Assert.ThrowsAsync<PayloadException>(() => installer.RollbackAsync());

        Assert.Contains("no previous version", error.Message, StringComparison.Ordinal);
        Assert.Equal("1.0.0", installer.CurrentVersion);
    }

    [Fact]
    public async Task Uninstall_removes_links_and_unused_versions_and_keeps_running_ones_and_others_files()
    {
        foreach (var version in new[] { "1.0.0", "2.0.0" })
            await new PayloadInstaller(Payload.Create(_temp.Combine(version), version, ("shim", version)), Root, _usage).InstallAsync();
        File.WriteAllText(Path.Combine(Root, "someone-elses-file"), "keep");
        _usage.Running.Add("2.0.0");
        var installer = new PayloadInstaller(_temp.Combine("2.0.0"), Root, _usage);

        var kept = installer.Uninstall();

        Assert.Equal(["2.0.0"], kept);
        Assert.Equal(["2.0.0", "someone-elses-file"], Entries(Root));
    }

    [Fact]
    public void Uninstall_on_a_node_where_nothing_was_installed_removes_nothing()
    {
        var installer = new PayloadInstaller(_temp.Combine("nowhere"), Root, _usage);

        Assert.Empty(installer.Uninstall());
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task A_missing_source_names_the_path()
    {
        var installer = new PayloadInstaller(_temp.Combine("nowhere"), Root, _usage);

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => installer.InstallAsync());

        Assert.Contains(_temp.Combine("nowhere"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_process_running_a_program_of_a_version_makes_it_in_use()
    {
        // This test's own process runs the dotnet host: its folder is "in use" as a version of a made-up root.
        var exe = new FileInfo("/proc/self/exe").LinkTarget!;
        var folder = Path.GetDirectoryName(exe)!;
        var processes = new RunningPayloadProcesses(Path.GetDirectoryName(folder)!);

        Assert.True(processes.IsInUse(Path.GetFileName(folder)));
        Assert.False(processes.IsInUse("no-such-version"));
    }

    public void Dispose() => _temp.Dispose();

    private static string[] Entries(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private static string Snapshot(string directory) => string.Join("\n", Directory
        .EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(e => $"{e} {new FileInfo(e).LinkTarget} {(File.Exists(e) && new FileInfo(e).LinkTarget is null ? File.ReadAllText(e) : "")}"));

    private sealed class FakeUsage : IPayloadUsage
    {
        public HashSet<string> Running { get; } = [];

        public bool IsInUse(string version) => Running.Contains(version);
    }
}
