using System.Diagnostics;
using System.Text.Json.Nodes;
using WasmKube.Contracts;
using WasmKube.NodeAgent.Install;

namespace WasmKube.NodeAgent.Tests.Images;

/// <summary>
/// The arm64 image of the node agent and its node payload. There is no arm64 machine here: qemu's user-mode
/// emulation runs the programs, which proves the binaries and the libraries the payload carries, not a node (no
/// containerd, and the shim's containment, its namespaces and seccomp filter, is not exercised).
/// </summary>
public sealed class Arm64AgentImageTests(Arm64AgentImageTests.AgentRoot root) : IClassFixture<Arm64AgentImageTests.AgentRoot>
{
    [ImageFact]
    public async Task The_agent_image_has_an_arm64_manifest_whose_payload_verifies_and_is_built_for_aarch64()
    {
        var manifest = PayloadManifest.Read(root.Payload);

        Assert.Equal(["amd64", "arm64"], root.Archive.Architectures);
        Assert.Empty(await manifest.VerifyAsync(root.Payload));
        Assert.StartsWith(ImageArchives.Version + "-", manifest.Version, StringComparison.Ordinal);
        string[] binaries =
        [
            "containerd-shim-wasmkube-v1", "wasmkube-executor", "libwasmtime.so", "cil/wasmkube-executor-cil", "cil/libcoreclr.so",
            "cil/libclrjit.so", "sysroot/lib/ld-linux-aarch64.so.1", "sysroot/lib/aarch64-linux-gnu/libc.so.6",
            "sysroot/lib/aarch64-linux-gnu/libssl.so.3", "sysroot/lib/aarch64-linux-gnu/libstdc++.so.6",
        ];
        foreach (var binary in binaries)
        {
            Assert.Contains(binary, manifest.Files.Keys);
            Assert.True(Qemu.IsAarch64Elf(Path.Combine(root.Payload, binary)), $"{binary} of the arm64 payload is no aarch64 ELF file");
        }

        // Every ELF file of the payload is for aarch64: nothing of the build machine's architecture slipped in.
        var elfFiles = manifest.Files.Keys.Where(f => IsElf(Path.Combine(root.Payload, f))).ToList();
        Assert.All(elfFiles, f => Assert.True(Qemu.IsAarch64Elf(Path.Combine(root.Payload, f)), $"{f} is not for aarch64"));
        Assert.Contains("licenses/libc6/copyright", manifest.Files.Keys);
        Assert.Contains("licenses/libssl3/copyright", manifest.Files.Keys);
    }

    [ImageFact]
    public async Task The_arm64_agent_and_its_nsenter_run_on_the_images_root_filesystem()
    {
        var agent = await Qemu.RunAarch64Async(root.Directory, Path.Combine(root.Directory, "usr/local/bin/wasmkube-node-agent"), "--help");
        var nsenter = await Qemu.RunAarch64Async(root.Directory, Path.Combine(root.Directory, "usr/bin/nsenter"), "--version");

        Assert.True(agent.ExitCode == 0, agent.Stdout + agent.Stderr);
        Assert.Matches(@"Usage:\s+wasmkube-node-agent \[options\]", agent.Stdout + agent.Stderr);
        Assert.True(nsenter.ExitCode == 0 && nsenter.Stdout.Contains("util-linux", StringComparison.Ordinal), nsenter.Stdout + nsenter.Stderr);
    }

    [ImageFact]
    public async Task The_arm64_shim_runs_on_the_payloads_own_sysroot()
    {
        AssertNoArm64LibrariesOnThisMachine();

        var (code, stdout, stderr) = await Qemu.RunAarch64Async(root.Sysroot, Path.Combine(root.Payload, "containerd-shim-wasmkube-v1"), "-v");

        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"^containerd-shim-wasmkube-v1 \d+\.\d+\.\d+", stdout);
    }

    [ImageTheory]
    [InlineData(Engines.Wasmtime)]
    [InlineData(Engines.WasmKube)]
    public async Task Each_arm64_executor_runs_hello_on_the_payloads_own_sysroot(string engine)
    {
        AssertNoArm64LibrariesOnThisMachine();
        using var temp = new TempDirectory();
        var module = temp.Combine("hello.wasm");
        using (var wat2wasm = Process.Start("wat2wasm", [Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Guests", "hello.wat"), "-o", module]))
        {
            await wat2wasm.WaitForExitAsync();
            Assert.Equal(0, wat2wasm.ExitCode);
        }

        // The executor as the shim starts it, on a configuration file, outside a container (stdio are its own).
        var stats = temp.Combine("hello.engine.json");
        var config = temp.Combine("hello.config.json");
        new ExecutorConfig { ModulePath = module, Entrypoint = "/hello.wasm", Args = ["/hello.wasm"], EngineStatsFile = stats }.Save(config);

        var (code, stdout, stderr) = await Qemu.RunAarch64Async(root.Sysroot, Path.Combine(root.Payload, Engines.ExecutorPrograms[engine]), "--config", config);

        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("hello from wasm\n", stdout);
        Assert.Equal("a line on stderr\n", stderr);
        Assert.Equal(engine, JsonNode.Parse(await File.ReadAllTextAsync(stats))!["engine"]!.GetValue<string>());
    }

    /// <summary>
    /// qemu looks for a library under the -L root first and falls back to the same path on this machine: the run
    /// proves the payload's sysroot complete only where this machine has no arm64 libraries to fall back to.
    /// </summary>
    private static void AssertNoArm64LibrariesOnThisMachine()
    {
        foreach (var folder in new[] { "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/ld-linux-aarch64.so.1" })
        {
            Assert.False(Path.Exists(folder), $"{folder} exists on this machine: qemu could take arm64 libraries from it instead of the payload's sysroot");
        }
    }

    private static bool IsElf(string path)
    {
        var magic = new byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && magic is [0x7f, (byte)'E', (byte)'L', (byte)'F'];
    }

    /// <summary>The agent image's arm64 root filesystem, unpacked once for the class.</summary>
    public sealed class AgentRoot : IDisposable
    {
        private readonly TempDirectory _temp = new();
        private readonly Lazy<OciArchive> _archive = new(() => new OciArchive(ImageArchives.Agent));
        private readonly Lazy<string> _directory;

        public AgentRoot()
        {
            _directory = new(() =>
            {
                var directory = _temp.Combine("agent-arm64");
                Archive.Unpack("arm64", directory);
                return directory;
            });
        }

        internal OciArchive Archive => _archive.Value;

        public string Directory => _directory.Value;

        public string Payload => Path.Join(Directory, new NodeAgentOptions().ShimSource);

        /// <summary>The payload's C runtime: the only library root the payload's programs get under qemu.</summary>
        public string Sysroot => Path.Combine(Payload, "sysroot");

        public void Dispose() => _temp.Dispose();
    }
}
