using WasmKube.Images;
using WasmKube.Shim.Tests.Infrastructure;
using WasmKube.Testing.Cri;
using WasmKube.Testing.Registry;

namespace WasmKube.Shim.Tests;

/// <summary>
/// A node without .NET: containerd, the shims and the executors run in a mount namespace where the .NET installation
/// is an empty tmpfs, with the node payload build.sh publishes. Wasm containers still run, through ctr and CRI, on
/// both engines: the shim and the Wasmtime executor are NativeAOT, the other executor carries its own runtime.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class NodePayloadTests(NodePayloadContainerd containerd) : IClassFixture<NodePayloadContainerd>
{
    private const string EngineAnnotation = "wasmkube.io/engine";

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    [Fact]
    public void The_dotnet_installation_is_empty_in_containerds_view()
    {
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(NodePayloadContainerd.DotnetRoot));
        Assert.Empty(Directory.EnumerateFileSystemEntries($"/proc/{containerd.ContainerdPid}/root{NodePayloadContainerd.DotnetRoot}"));
    }

    [Theory]
    [InlineData("wasmtime")]
    [InlineData("wasmkube")]
    public async Task Hello_runs_through_the_payload_on_each_engine(string engine)
    {
        var image = await containerd.ImportWasmImageAsync("default", "hello", "payload-hello:1");

        var result = await containerd.Ctr("run", "--rm", "--runtime", ContainerdInstance.Runtime,
            "--annotation", $"{EngineAnnotation}={engine}", image, NewId("hello-" + engine));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello from wasm\n", result.Stdout);
        Assert.Equal("a line on stderr\n", result.Stderr);
    }

    [Theory]
    [InlineData("wasmtime", false)]
    [InlineData("wasmkube", true)]
    public async Task Shim_and_executor_run_without_the_dotnet_installation(string engine, bool executorCarriesItsRuntime)
    {
        var image = await containerd.ImportWasmImageAsync("default", "spin", "payload-spin:1");
        var id = NewId("spin-" + engine);
        var run = await containerd.Ctr("run", "-d", "--runtime", ContainerdInstance.Runtime, "--annotation", $"{EngineAnnotation}={engine}", image, id);
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            var executor = int.Parse((await containerd.Ctr("task", "ls")).Stdout.Split('\n').Single(l => l.StartsWith(id, StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            var shim = ParentPid(executor);
            // The executor runs in its container, where the payload's folder is bound at /.wasmkube: wait for its
            // engine's library in its mappings.
            var engineLibrary = executorCarriesItsRuntime ? "/.wasmkube/libcoreclr.so" : "/.wasmkube/libwasmtime.so";
            for (var attempt = 0; attempt < 100 && !File.ReadAllText($"/proc/{executor}/maps").Contains(engineLibrary, StringComparison.Ordinal); attempt++)
                await Task.Delay(100);

            Assert.Equal(Path.Combine(NodePayloadContainerd.PayloadDirectory, "containerd-shim-wasmkube-v1"), ProgramOf(shim));
            Assert.DoesNotContain("libcoreclr.so", File.ReadAllText($"/proc/{shim}/maps"));
            var executorMaps = File.ReadAllText($"/proc/{executor}/maps");
            Assert.Equal("/.wasmkube/" + (executorCarriesItsRuntime ? "wasmkube-executor-cil" : "wasmkube-executor"), ProgramOf(executor));
            Assert.False(Directory.Exists($"/proc/{executor}/root{NodePayloadContainerd.DotnetRoot}"), "the executor sees a .NET installation");
            if (executorCarriesItsRuntime)
            {
                // The wasmkube engine needs the JIT: its runtime comes from the payload, not from the hidden installation.
                Assert.Contains("/.wasmkube/libcoreclr.so", executorMaps);
            }
            else
            {
                Assert.DoesNotContain("libcoreclr.so", executorMaps);
                Assert.Contains("libwasmtime.so", executorMaps);
            }
        }
        finally
        {
            await containerd.Ctr("task", "kill", "-s", "KILL", id);
            await containerd.Ctr("task", "delete", "-f", id);
            await containerd.Ctr("container", "rm", id);
        }
    }

    [Theory]
    [InlineData("wasmtime")]
    [InlineData("wasmkube")]
    public async Task A_pod_on_the_wasmkube_handler_runs_on_its_engine_and_logs_through_cri(string engine)
    {
        using var cri = new CriClient(containerd.Socket);
        await using var pods = new CriPods(cri, "wasmkube", containerd.LogDirectory);
        await containerd.ImportBusyboxImageAsync("k8s.io", "wasmkube-test-pause:1", "sleep", "2147483647");
        var hello = await containerd.ImportWasmImageAsync("k8s.io", "hello", "payload-cri-hello:1");
        var spin = await containerd.ImportWasmImageAsync("k8s.io", "spin", "payload-cri-spin:1");
        var (podId, podConfig) = await pods.RunPodAsync("payload-" + engine, new Dictionary<string, string> { [EngineAnnotation] = engine });

        var status = await pods.WaitForExitAsync(await pods.CreateAndStartAsync(podId, podConfig, "hello", hello));
        var spinning = await pods.CreateAndStartAsync(podId, podConfig, "spin", spin);

        Assert.Equal(0, status.ExitCode);
        Assert.Contains(" stdout F hello from wasm", await CriPods.ReadLogAsync(status.LogPath, "hello from wasm"));
        // While it runs, the executor publishes its engine beside the container record (CRI deletes the task of an
        // exited container, and its record with it): the pod annotation reached the shim.
        Assert.Contains($"\"engine\":\"{engine}\"", await EngineStatisticsAsync(spinning));
        await cri.RuntimeAsync<StopContainerResponse>("StopContainer", new StopContainerRequest { ContainerId = spinning, Timeout = 10 });
    }

    [Fact]
    public async Task An_image_pulled_from_a_registry_through_cri_runs_with_its_output_in_the_cri_log()
    {
        await using var registry = await TestRegistry.StartAsync();
        var name = $"{registry.Host}/wasm/payload-hello:1";
        var reference = ImageReference.Parse(name);
        var image = OciImageBuilder.Create(new ImageBuildOptions { ModulePath = containerd.Guest("hello"), ModuleImagePath = "/hello.wasm", Reference = reference });
        using (var client = new RegistryClient(registry.Host, plainHttp: true, credential: null))
        {
            await client.PushAsync(image, reference);
        }

        await containerd.AllowPlainHttpRegistryAsync(registry.Host);
        using var cri = new CriClient(containerd.Socket);
        await using var pods = new CriPods(cri, "wasmkube", containerd.LogDirectory);
        await containerd.ImportBusyboxImageAsync("k8s.io", "wasmkube-test-pause:1", "sleep", "2147483647");

        await cri.CallAsync<PullImageResponse>("runtime.v1.ImageService", "PullImage", new PullImageRequest { Image = new ImageSpec { Image = name } });
        var (podId, podConfig) = await pods.RunPodAsync("payload-pulled");
        var status = await pods.WaitForExitAsync(await pods.CreateAndStartAsync(podId, podConfig, "hello", name));

        Assert.Equal(0, status.ExitCode);
        Assert.Contains(" stdout F hello from wasm", await CriPods.ReadLogAsync(status.LogPath, "hello from wasm"));
    }

    private async Task<string> EngineStatisticsAsync(string containerId)
    {
        var path = Path.Combine(containerd.RecordDirectory, "k8s.io", containerId + ".engine.json");
        for (var attempt = 0; attempt < 100 && !File.Exists(path); attempt++) await Task.Delay(100);
        return await File.ReadAllTextAsync(path);
    }

    private static int ParentPid(int pid) =>
        int.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The program a process runs, symlinks resolved as the kernel did.</summary>
    private static string ProgramOf(int pid) => new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";
}
