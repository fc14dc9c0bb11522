using System.Text.RegularExpressions;
using WasmKube.Kube.Testing;
using WasmKube.NodeAgent.Tests.EndToEnd;

namespace WasmKube.NodeAgent.Tests.Images;

/// <summary>The operator and agent images as containerd runs them: imported from their archives, run through runc.</summary>
public sealed partial class ImageTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private PrivateContainerd _containerd = null!;

    public async Task InitializeAsync()
    {
        _containerd = await PrivateContainerd.CreateAsync();
        await _containerd.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _containerd.DisposeAsync();
        _temp.Dispose();
    }

    [ImageFact]
    public async Task Both_archives_import_and_their_entrypoints_answer_help()
    {
        foreach (var (archive, image, program) in new[]
        {
            (ImageArchives.Operator, ImageArchives.OperatorImage, "/usr/local/bin/wasmkube-operator"),
            (ImageArchives.Agent, ImageArchives.AgentImage, "/usr/local/bin/wasmkube-node-agent"),
        })
        {
            var import = await _containerd.CtrAsync($"image import {archive}");
            Assert.True(import.ExitCode == 0, import.Output);
            Assert.Contains(image, import.Output, StringComparison.Ordinal);

            var help = await _containerd.CtrAsync($"run --rm {image} help-{Path.GetFileName(program)} {program} --help");

            Assert.True(help.ExitCode == 0, help.Output);
            Assert.Matches($@"Usage:\s+{Path.GetFileName(program)} \[options\]", help.Output);
        }

        // The agent's host commands run through nsenter, which must run with the libraries the image carries.
        var nsenter = await _containerd.CtrAsync($"run --rm {ImageArchives.AgentImage} nsenter /usr/bin/nsenter --version");
        Assert.True(nsenter.ExitCode == 0 && nsenter.Output.Contains("util-linux", StringComparison.Ordinal), nsenter.Output);
    }

    [ImageFact]
    public async Task The_agent_image_carries_a_payload_that_verifies_at_the_default_shim_source()
    {
        var import = await _containerd.CtrAsync($"image import {ImageArchives.Agent}");
        Assert.True(import.ExitCode == 0, import.Output);
        var rootfs = _temp.Combine("agent-rootfs");
        Directory.CreateDirectory(rootfs);
        var mount = await _containerd.CtrAsync($"image mount {ImageArchives.AgentImage} {rootfs}");
        Assert.True(mount.ExitCode == 0, mount.Output);
        try
        {
            var payload = Path.Join(rootfs, new NodeAgentOptions().ShimSource);
            var manifest = NodeAgent.Install.PayloadManifest.Read(payload);

            Assert.Empty(await manifest.VerifyAsync(payload));
            Assert.Contains("containerd-shim-wasmkube-v1", manifest.Files.Keys);
            Assert.Contains(manifest.Files.Keys, f => f.StartsWith("wasmkube-executor", StringComparison.Ordinal));
            Assert.StartsWith(ImageArchives.Version + "-", manifest.Version, StringComparison.Ordinal);
        }
        finally
        {
            await _containerd.CtrAsync($"image unmount {rootfs}");
        }
    }

    [ImageFact]
    public async Task The_operator_runs_as_uid_65532_and_reaches_the_api_server_over_tls()
    {
        await using var server = await TestApiServer.StartAsync();
        var config = _temp.Combine("config");
        Directory.CreateDirectory(config);
        File.Copy(server.KubeconfigPath, Path.Combine(config, "kubeconfig"));
        File.SetUnixFileMode(Path.Combine(config, "kubeconfig"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.True((await _containerd.CtrAsync($"image import {ImageArchives.Operator}")).ExitCode == 0);

        var run = await _containerd.CtrAsync(
            $"run -d --net-host --mount type=bind,src={config},dst=/config,options=rbind:ro {ImageArchives.OperatorImage} operator " +
            "/usr/local/bin/wasmkube-operator --kubeconfig /config/kubeconfig");
        Assert.True(run.ExitCode == 0, run.Output);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (server.Requests.Count() == 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        var tasks = await _containerd.CtrAsync("task ls");
        var pid = TaskPid().Match(tasks.Output);
        Assert.True(pid.Success, tasks.Output);
        var status = await File.ReadAllTextAsync($"/proc/{pid.Groups[1].Value}/status");

        Assert.True(server.Requests.Count() > 0, $"the operator made no request to {server.BaseUrl}; tasks: {tasks.Output}");
        Assert.Matches(@"\nUid:\s+65532\s+65532\s+65532\s+65532\n", status);
    }

    [ImageFact]
    public async Task The_operator_image_has_amd64_and_arm64_and_the_arm64_program_runs_on_its_own_root_filesystem()
    {
        var archive = new OciArchive(ImageArchives.Operator);
        Assert.Equal(["amd64", "arm64"], archive.Architectures);
        Assert.Equal("65532:65532", archive.Config("arm64")["config"]!["User"]!.GetValue<string>());
        var rootfs = _temp.Combine("operator-arm64");
        archive.Unpack("arm64", rootfs);

        // No arm64 machine here: qemu's user-mode emulation runs the program, its libraries taken from the image.
        var (code, stdout, stderr) = await Qemu.RunAarch64Async(rootfs, Path.Combine(rootfs, "usr/local/bin/wasmkube-operator"), "--help");

        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"Usage:\s+wasmkube-operator \[options\]", stdout + stderr);
    }

    [GeneratedRegex(@"^operator\s+(\d+)\s+RUNNING", RegexOptions.Multiline)]
    private static partial Regex TaskPid();
}
