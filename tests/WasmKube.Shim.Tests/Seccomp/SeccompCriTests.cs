using System.Text.Json.Nodes;
using WasmKube.Shim.Containment;
using WasmKube.Shim.Tests.Infrastructure;
using WasmKube.Testing.Cri;
using static WasmKube.Shim.Tests.Seccomp.SeccompLoader;

namespace WasmKube.Shim.Tests.Seccomp;

/// <summary>
/// The profile CRI puts into a wasm container's spec for <c>seccompProfile: RuntimeDefault</c>, taken from a private
/// containerd, compiled and loaded in the kernel.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class SeccompCriTests(ContainerdInstance containerd, SeccompLoader loader)
    : IClassFixture<ContainerdInstance>, IClassFixture<SeccompLoader>, IAsyncLifetime
{
    private const string Ns = "k8s.io";
    private CriSession _session = null!;

    public async Task InitializeAsync()
    {
        _session = await CriSession.StartAsync(containerd);
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
    }

    [Fact]
    public async Task The_runtime_default_profile_of_a_wasm_container_compiles_loads_and_runs_programs()
    {
        var image = await containerd.ImportWasmImageAsync(Ns, "hello", "seccomp-hello:1");
        var (podId, podConfig) = await _session.Pods.RunPodAsync("seccomp");
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "hello" },
            Image = new ImageSpec { Image = image },
            LogPath = "hello.log",
            Linux = new LinuxContainerConfig
            {
                SecurityContext = new LinuxContainerSecurityContext
                {
                    Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
                },
            },
        };
        var created = await _session.Cri.RuntimeAsync<CreateContainerResponse>("CreateContainer",
            new CreateContainerRequest { PodSandboxId = podId, Config = config, SandboxConfig = podConfig });
        // The spec containerd stores for the container is what it writes to the bundle's config.json.
        var info = await containerd.CtrIn(Ns, "containers", "info", created.ContainerId);
        Assert.True(info.ExitCode == 0, info.ToString());
        var seccomp = JsonNode.Parse(info.Stdout)!["Spec"]!["linux"]!["seccomp"];
        Assert.NotNull(seccomp);

        var program = SeccompProgram.Compile(seccomp);
        var unshare = $"nr:{Nr("unshare")}:0x04000000";
        var denied = await loader.RunAsync(program, unshare, $"nr:{Nr("clone3")}");
        var shell = await loader.RunAsync(program, "exec:/bin/sh:-c:echo under the filter; cat /proc/self/status");
        var trueRun = await loader.RunAsync(program, "exec:/bin/true");

        Assert.Equal("SCMP_ACT_ERRNO", (string?)seccomp["defaultAction"]);
        Assert.True(denied.ExitCode == 0, denied.ToString());
        Assert.Equal(1, denied.Errno(unshare));
        Assert.Equal(38, denied.Errno($"nr:{Nr("clone3")}"));
        Assert.True(shell.ExitCode == 0, shell.ToString());
        Assert.StartsWith("under the filter\n", shell.Command.Stdout);
        Assert.Matches(@"\nSeccomp:\s+2\n", shell.Command.Stdout);
        Assert.True(trueRun.ExitCode == 0, trueRun.ToString());
    }
}
