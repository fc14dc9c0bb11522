using System.Diagnostics;
using System.Text.Json;
using WasmKube.Contracts;
using WasmKube.Guest;
using WasmKube.Images;
using WasmKube.Shim.Tests.Infrastructure;
using WasmKube.Testing.Cri;

namespace WasmKube.Shim.Tests;

/// <summary>
/// The CRI path, driven like kubelet drives containerd: a pod sandbox on runtime handler "wasmkube" (its pause
/// container runs under runc through the shim), wasm containers and a native sidecar in it.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class CriTests(ContainerdInstance containerd) : IClassFixture<ContainerdInstance>, IAsyncLifetime
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
    public async Task Pod_runs_wasm_containers_and_a_native_sidecar_with_logs_stats_and_stop()
    {
        var hello = await containerd.ImportWasmImageAsync(Ns, "hello", "cri-hello:1");
        var spin = await containerd.ImportImageAsync(Ns, new ImageBuildOptions
        {
            ModulePath = containerd.Guest("spin"),
            ModuleImagePath = "/spin.wasm",
            Files = [new ImageFile(containerd.Guest("echo"), "/bin/echo.wasm", ImageFile.Executable)],
            Reference = ImageReference.Parse("cri-spin:1"),
            Platform = ImagePlatform.LinuxAmd64,
        });
        // The sidecar ignores SIGTERM, so stopping it takes the SIGKILL after the grace period.
        var busybox = await containerd.ImportBusyboxImageAsync(Ns, "cri-busybox:1", "sh", "-c", "trap '' TERM; echo sidecar up; while true; do sleep 1; done");
        var (podId, podConfig) = await _session.Pods.RunPodAsync("mixed");

        var helloId = await _session.Pods.CreateAndStartAsync(podId, podConfig, "hello", hello);
        var spinId = await _session.Pods.CreateAndStartAsync(podId, podConfig, "spin", spin, memoryLimit: 256L << 20);
        var sidecarId = await _session.Pods.CreateAndStartAsync(podId, podConfig, "sidecar", busybox);

        var helloStatus = await _session.Pods.WaitForExitAsync(helloId);
        var helloLog = await CriPods.ReadLogAsync(helloStatus.LogPath, "stderr");
        var sidecarLog = await CriPods.ReadLogAsync((await _session.Pods.StatusAsync(sidecarId)).LogPath, "sidecar up");
        var stats = await WaitForCpuAsync(spinId);
        var exec = new ExecSyncRequest { ContainerId = spinId, Timeout = 60 };
        exec.Cmd.AddRange(["/bin/echo.wasm", "exec", "in", "pod"]);
        var execResult = await _session.Cri.RuntimeAsync<ExecSyncResponse>("ExecSync", exec);
        using var record = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(containerd.RecordDirectory, Ns, spinId + ".json")));
        var recordedPidRuns = Directory.Exists("/proc/" + record.RootElement.GetProperty("pid").GetInt32());
        await _session.Cri.RuntimeAsync<StopContainerResponse>("StopContainer", new StopContainerRequest { ContainerId = spinId, Timeout = 10 });
        await _session.Cri.RuntimeAsync<StopContainerResponse>("StopContainer", new StopContainerRequest { ContainerId = sidecarId, Timeout = 1 });
        var spinStatus = await _session.Pods.StatusAsync(spinId);
        var sidecarStatus = await _session.Pods.StatusAsync(sidecarId);

        Assert.Equal(0, helloStatus.ExitCode);
        Assert.Contains(" stdout F hello from wasm", helloLog);
        Assert.Contains(" stderr F a line on stderr", helloLog);
        Assert.Contains(" stdout F sidecar up", sidecarLog);
        Assert.True(stats.Cpu.UsageCoreNanoSeconds.Value > 0, "the spinning guest used no CPU according to ContainerStats");
        Assert.True(stats.Memory.WorkingSetBytes.Value > 0, "the executor's cgroup reports no working set");
        Assert.Equal("exec in pod\nGREETING=(unset)\n", execResult.Stdout.ToStringUtf8());
        Assert.Equal(3, execResult.ExitCode);
        Assert.Equal("wasm", record.RootElement.GetProperty("kind").GetString());
        Assert.Equal("running", record.RootElement.GetProperty("status").GetString());
        Assert.Equal("mixed", record.RootElement.GetProperty("podName").GetString());
        Assert.Equal("spin", record.RootElement.GetProperty("containerName").GetString());
        Assert.Equal(podId, record.RootElement.GetProperty("sandboxId").GetString());
        Assert.True(recordedPidRuns, "the recorded executor pid was not running");
        Assert.Equal(ContainerState.ContainerExited, spinStatus.State);
        Assert.Equal(128 + 15, spinStatus.ExitCode);
        Assert.Equal(ContainerState.ContainerExited, sidecarStatus.State);
        Assert.Equal(128 + 9, sidecarStatus.ExitCode);
        await _session.Pods.StopAndRemovePodAsync(podId);
    }

    [Fact]
    public async Task Bad_images_fail_in_their_log_while_the_pod_keeps_serving()
    {
        var text = Path.Combine(containerd.Root, "cri-not-wasm.txt");
        await File.WriteAllTextAsync(text, "plain text\n");
        var invalid = Path.Combine(containerd.Root, "cri-invalid.wasm");
        await File.WriteAllBytesAsync(invalid, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x05]);
        var textImage = await containerd.ImportImageAsync(Ns, new ImageBuildOptions
        {
            ModulePath = text, ModuleImagePath = "/app", RequireWasm = false,
            Reference = ImageReference.Parse("cri-bad-text:1"), Platform = ImagePlatform.LinuxAmd64,
        });
        var invalidImage = await containerd.ImportImageAsync(Ns, new ImageBuildOptions
        {
            ModulePath = invalid, Reference = ImageReference.Parse("cri-bad-module:1"), Platform = ImagePlatform.LinuxAmd64,
        });
        var hello = await containerd.ImportWasmImageAsync(Ns, "hello", "cri-hello:1");
        var (podId, podConfig) = await _session.Pods.RunPodAsync("bad");

        var notWasm = await _session.Pods.WaitForExitAsync(await _session.Pods.CreateAndStartAsync(podId, podConfig, "not-wasm", textImage));
        var badModule = await _session.Pods.WaitForExitAsync(await _session.Pods.CreateAndStartAsync(podId, podConfig, "bad-module", invalidImage));
        var missing = await _session.Pods.WaitForExitAsync(await _session.Pods.CreateAndStartAsync(podId, podConfig, "missing", hello, command: ["/nowhere.wasm"]));
        var good = await _session.Pods.WaitForExitAsync(await _session.Pods.CreateAndStartAsync(podId, podConfig, "good", hello));

        Assert.Equal(126, notWasm.ExitCode);
        Assert.Contains("neither a WebAssembly module", await CriPods.ReadLogAsync(notWasm.LogPath, "wasmkube"));
        Assert.Equal(GuestExitCodes.InvalidModule, badModule.ExitCode);
        Assert.Contains("not a valid WebAssembly module", await CriPods.ReadLogAsync(badModule.LogPath, "wasmkube"));
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("\"/nowhere.wasm\" does not exist in the image", await CriPods.ReadLogAsync(missing.LogPath, "wasmkube"));
        Assert.Equal(0, good.ExitCode);
        Assert.Contains("hello from wasm", await CriPods.ReadLogAsync(good.LogPath, "hello"));
        await _session.Pods.StopAndRemovePodAsync(podId);
    }

    [Fact]
    public async Task The_pods_limit_annotations_reach_its_wasm_containers()
    {
        // What the operator writes into a workload's pod template; CRI passes wasmkube.io/* on (pod_annotations).
        var spin = await containerd.ImportWasmImageAsync(Ns, "spin", "cri-spin:1");
        var grow = await containerd.ImportWasmImageAsync(Ns, "grow", "cri-grow:1");
        var (podId, podConfig) = await _session.Pods.RunPodAsync("limits", new Dictionary<string, string>
        {
            ["wasmkube.io/timeout"] = "500ms",
            ["wasmkube.io/max-memory"] = "16Mi",
        });

        var spinning = await _session.Pods.WaitForExitAsync(await _session.Pods.CreateAndStartAsync(podId, podConfig, "spin", spin));
        var growing = await _session.Pods.WaitForExitAsync(await _session.Pods.CreateAndStartAsync(podId, podConfig, "grow", grow));

        Assert.Equal(GuestExitCodes.TimedOut, spinning.ExitCode);
        Assert.Contains("wasmkube: the guest was stopped after its timeout of 500ms (wasmkube.io/timeout)",
            await CriPods.ReadLogAsync(spinning.LogPath, "wasmkube.io/timeout"));
        // CRI deletes the task as soon as it exits: the retired record keeps the exit and its engine statistics.
        var layout = new ContainerRecordLayout(containerd.RecordDirectory);
        var record = JsonSerializer.Deserialize(await File.ReadAllTextAsync(layout.RecordPath(Ns, spinning.Id)), ContractJson.Default.ContainerRecord)!;
        Assert.Equal(ContainerRecord.Deleted, record.Status);
        Assert.Equal(124, record.ExitStatus);
        var stats = JsonSerializer.Deserialize(await File.ReadAllTextAsync(layout.EngineStatsPath(Ns, spinning.Id)), ContractJson.Default.EngineStats)!;
        Assert.Equal(ExitReasons.Timeout, stats.ExitReason);
        // grow exits with the memory it reached in 4 MiB units: memory.grow failed at exactly the cap.
        Assert.Equal(4, growing.ExitCode);
        await _session.Pods.StopAndRemovePodAsync(podId);
    }

    [Fact]
    public async Task A_kernel_oom_kill_is_reported_as_oom_killed()
    {
        // The shell doubles a string until the 24 MiB limit of its cgroup makes the kernel kill it.
        var busybox = await containerd.ImportBusyboxImageAsync(Ns, "cri-hog:1", "sh", "-c", "x=0123456789abcdef; while true; do x=$x$x; done");
        var (podId, podConfig) = await _session.Pods.RunPodAsync("oom");

        var hog = await _session.Pods.WaitForExitAsync(await _session.Pods.CreateAndStartAsync(podId, podConfig, "hog", busybox, memoryLimit: 24L << 20));

        Assert.Equal(128 + 9, hog.ExitCode);
        Assert.Equal("OOMKilled", hog.Reason);
        await _session.Pods.StopAndRemovePodAsync(podId);
    }

    private async Task<ContainerStats> WaitForCpuAsync(string id)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var stats = (await _session.Cri.RuntimeAsync<ContainerStatsResponse>("ContainerStats", new ContainerStatsRequest { ContainerId = id })).Stats;
            if (stats.Cpu?.UsageCoreNanoSeconds?.Value > 0 || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return stats;
            }

            await Task.Delay(200);
        }
    }

}
