using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Cgroups;
using WasmKube.Endpoints;
using WasmKube.Kube.Testing;
using WasmKube.NodeAgent.Install;
using WasmKube.NodeAgent.Metrics;
using WasmKube.NodeAgent.Tests.Metrics;
using WasmKube.Prometheus;

namespace WasmKube.NodeAgent.Tests.EndToEnd;

/// <summary>The agent against a real containerd 1.6 and the real shim and executor as the build made them.</summary>
public sealed class NodeAgentEndToEndTests : IAsyncLifetime
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

    [Fact]
    public async Task Setup_installs_the_shim_registers_the_handler_and_runs_the_probe_through_it()
    {
        var options = Options();
        var state = new NodeSetupState();
        var setup = new NodeSetup(options, new HostCommands("/", enterHostNamespaces: false), null, state, NullLogger<NodeSetup>.Instance);
        var original = await File.ReadAllTextAsync(_containerd.ConfigPath);

        await setup.RunAsync(CancellationToken.None);

        Assert.True(state.Current.Phase == NodeSetupPhase.Ready, state.Current.Message);
        Assert.True(File.Exists(options.ShimPath));
        var edited = await File.ReadAllTextAsync(_containerd.ConfigPath);
        Assert.StartsWith(original, edited, StringComparison.Ordinal);
        Assert.Contains($"runtime_path = \"{options.ShimPath}\"", edited, StringComparison.Ordinal);

        // containerd loads the edited file, and a second run of the agent changes nothing.
        await _containerd.StopAsync();
        await _containerd.StartAsync();
        await setup.RunAsync(CancellationToken.None);
        Assert.Equal(NodeSetupPhase.Ready, state.Current.Phase);
        Assert.Equal(edited, await File.ReadAllTextAsync(_containerd.ConfigPath));

        await setup.UninstallAsync(CancellationToken.None);
        Assert.Equal(original, await File.ReadAllTextAsync(_containerd.ConfigPath));
        Assert.False(File.Exists(options.ShimPath));
    }

    [Fact]
    public async Task A_busy_guest_gets_more_cpu_than_an_idle_one_in_the_agents_metrics()
    {
        var shim = Path.Combine(AgentTestOptions.ShimFiles(_temp), "containerd-shim-wasmkube-v1");
        foreach (var guest in new[] { "busy", "idle" })
        {
            var rootfs = _temp.Combine("rootfs-" + guest);
            Directory.CreateDirectory(rootfs);
            await Run("wat2wasm", $"{Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Guests", guest + ".wat")} -o {Path.Combine(rootfs, guest + ".wasm")}");
            var run = await _containerd.CtrAsync($"--namespace default run -d --runtime {shim} --rootfs {rootfs} {guest} /{guest}.wasm");
            Assert.True(run.ExitCode == 0, run.Output);
        }

        var records = new ContainerRecordReader(_containerd.StateDirectory);
        var collector = new WorkloadMetricsCollector(records, new CgroupStatsReader(CgroupHierarchy.Discover()));
        Dictionary<string, double> Cpu() => collector.Collect().Single(f => f.Name == "wasmkube_container_cpu_usage_seconds_total")
            .Samples.ToDictionary(s => s.LabelValues[2], s => s.Value);

        // Both start with the executor's own start-up (runtime, JIT, compile); after that only the busy one burns CPU.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var before = Cpu();
        while (DateTime.UtcNow < deadline && !(before.ContainsKey("busy") && before.ContainsKey("idle")))
        {
            await Task.Delay(500);
            before = Cpu();
        }

        Assert.True(before.ContainsKey("busy") && before.ContainsKey("idle"), $"containers seen: {string.Join(", ", before.Keys)}");

        // The idle guest has settled once its executor spends under 20 ms of CPU in a second.
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            var now = Cpu();
            var settled = now["idle"] - before["idle"] < 0.02;
            before = now;
            if (settled) break;
        }

        var after = before;
        while (DateTime.UtcNow < deadline && after["busy"] - before["busy"] < 0.5)
        {
            await Task.Delay(500);
            after = Cpu();
        }

        var busy = after["busy"] - before["busy"];
        var idle = after["idle"] - before["idle"];
        Assert.True(busy > 10 * idle, $"over the same interval busy used {busy} s, idle {idle} s");
        var text = TextFormat.Write(collector.Collect());
        Assert.Contains("wasmkube_container_memory_working_set_bytes{namespace=\"default\",pod=\"\",container=\"busy\"", text, StringComparison.Ordinal);

        // The executors published their engine statistics: one instance each, the guests' one page of linear memory.
        var engine = TextFormat.Write(new EngineMetricsCollector(records).Collect());
        Assert.Contains("wasmkube_wasm_instances{namespace=\"default\",pod=\"\",container=\"busy\",workload=\"\"} 1\n", engine, StringComparison.Ordinal);
        Assert.Contains("wasmkube_wasm_linear_memory_bytes{namespace=\"default\",pod=\"\",container=\"idle\",workload=\"\"} 65536\n", engine, StringComparison.Ordinal);
        Assert.Contains("wasmkube_wasm_instance_start_seconds_count{namespace=\"default\",workload=\"\"} 2\n", engine, StringComparison.Ordinal);

        // A real Prometheus scrapes the agent's endpoint and computes the busy guest's CPU rate.
        using var agent = NodeAgentHost.Build(
            new NodeAgentOptions { HostRoot = "/", StateDirectory = _containerd.StateDirectory, ListenAddress = EndpointAddress.Parse("127.0.0.1:0"), MetricsOnly = true, Standalone = true },
            kubernetes: null);
        await agent.StartAsync();
        var agentPort = agent.Services.GetServices<IHostedService>().OfType<EndpointServer>().Single().LocalEndpoint!.Port;
        using (var http = new HttpClient())
        {
            var exposition = await http.GetStringAsync($"http://127.0.0.1:{agentPort}/metrics");
            Assert.Contains("wasmkube_wasm_linear_memory_bytes{", exposition, StringComparison.Ordinal);
            Assert.Matches(@"\nprocess_resident_memory_bytes [1-9][0-9]*\n", exposition);
            var (code, lint) = await Promtool.CheckMetricsAsync(exposition);
            Assert.True(code == 0 && !lint.Contains("problem", StringComparison.OrdinalIgnoreCase), $"promtool check metrics: {lint}");
        }

        using var prometheus = new PrometheusServer(_temp.Path, $"127.0.0.1:{agentPort}");
        var rate = await prometheus.QueryFirstValueAsync("sum by (container) (rate(wasmkube_container_cpu_usage_seconds_total{container=\"busy\"}[5s]))");
        Assert.NotNull(rate);
        // More than nothing however loaded the machine is, at most its cores.
        Assert.InRange(rate.Value, 0.001, Environment.ProcessorCount + 0.5);
    }

    [Fact]
    public async Task A_run_a_limit_ended_counts_in_the_exits_by_reason_after_its_task_is_gone()
    {
        var shim = Path.Combine(AgentTestOptions.ShimFiles(_temp), "containerd-shim-wasmkube-v1");
        var rootfs = _temp.Combine("rootfs-fuel");
        Directory.CreateDirectory(rootfs);
        await Run("wat2wasm", $"{Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Guests", "busy.wat")} -o {Path.Combine(rootfs, "busy.wasm")}");

        // --rm deletes the task and the container once the guest has run out of fuel.
        var run = await _containerd.CtrAsync($"--namespace default run --rm --runtime {shim} --annotation wasmkube.io/fuel=100000 --rootfs {rootfs} fuel /busy.wasm");

        Assert.True(run.ExitCode == 134, run.Output);
        Assert.Contains("wasmkube: the guest ran out of its fuel of 100000 units (wasmkube.io/fuel)", run.Output, StringComparison.Ordinal);
        var engine = TextFormat.Write(new EngineMetricsCollector(new ContainerRecordReader(_containerd.StateDirectory)).Collect());
        Assert.Contains("wasmkube_wasm_exits_total{namespace=\"default\",workload=\"\",reason=\"out-of-fuel\",code=\"134\"} 1\n", engine, StringComparison.Ordinal);
    }

    private NodeAgentOptions Options() => AgentTestOptions.For(_containerd, _temp);

    private static async Task Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program}: {error}");
    }
}
