using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using WasmKube.NodeAgent.Metrics;
using WasmKube.Prometheus;
using WasmKube.Shim.Cgroups;

namespace WasmKube.NodeAgent.Tests.Metrics;

/// <summary>
/// The collector against real kernel cgroups (created by the test as root) holding a busy and an idle process, and a
/// real Prometheus server scraping the agent's endpoint over loopback.
/// </summary>
public sealed class RealCgroupMetricsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CgroupHierarchy _hierarchy = CgroupHierarchy.Discover();
    private readonly string _group = $"wasmkube-test-{Guid.NewGuid():N}"[..26];
    private readonly List<Process> _processes = [];

    [Fact]
    public async Task The_busy_container_uses_more_cpu_than_the_idle_one()
    {
        StartInCgroup("busy", "while :; do :; done");
        StartInCgroup("idle", "sleep 600");
        var collector = new WorkloadMetricsCollector(new ContainerRecordReader(_temp.Combine("state")), new CgroupStatsReader(_hierarchy));

        // However loaded the machine, the spinning process gets CPU time and the sleeping one almost none.
        Dictionary<string, MetricFamily> samples;
        Dictionary<string, double> cpu;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            samples = collector.Collect().ToDictionary(f => f.Name);
            cpu = samples["wasmkube_container_cpu_usage_seconds_total"].Samples.ToDictionary(s => s.LabelValues[2], s => s.Value);
        }
        while (cpu["busy"] < 0.2 && DateTime.UtcNow < deadline);

        Assert.True(cpu["busy"] > 10 * cpu["idle"], $"busy {cpu["busy"]} s, idle {cpu["idle"]} s");
        var memory = samples["wasmkube_container_memory_usage_bytes"].Samples.ToDictionary(s => s.LabelValues[2], s => s.Value);
        var limits = samples["wasmkube_container_memory_limit_bytes"].Samples.ToDictionary(s => s.LabelValues[2], s => s.Value);
        Assert.InRange(memory["busy"], 1, limits["busy"]);
        Assert.Equal(64 * 1024 * 1024, limits["busy"]);
    }

    [Fact]
    public async Task Prometheus_scrapes_the_agent_and_computes_the_busy_workloads_cpu_rate()
    {
        StartInCgroup("busy", "while :; do :; done");
        var agentPort = FreePort();
        await using var agent = NodeAgentHost.Build(
            new NodeAgentOptions { HostRoot = "/", StateDirectory = _temp.Combine("state"), ListenAddress = $"http://127.0.0.1:{agentPort}", MetricsOnly = true, Standalone = true },
            kubernetes: null);
        await agent.StartAsync();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var exposition = await http.GetStringAsync($"http://127.0.0.1:{agentPort}/metrics");
        Assert.Contains("wasmkube_container_cpu_usage_seconds_total{", exposition, StringComparison.Ordinal);

        var prometheusPort = FreePort();
        var config = _temp.Combine("prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: wasmkube-node-agent
                static_configs:
                  - targets: ["127.0.0.1:{agentPort}"]
            """);
        var prometheus = Start("prometheus", $"--config.file={config} --storage.tsdb.path={_temp.Combine("tsdb")} --web.listen-address=127.0.0.1:{prometheusPort}");

        var query = Uri.EscapeDataString("sum by (workload) (rate(wasmkube_container_cpu_usage_seconds_total{container=\"busy\"}[5s]))");
        double? rate = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (rate is null && DateTime.UtcNow < deadline && !prometheus.HasExited)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            try
            {
                using var answer = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{prometheusPort}/api/v1/query?query={query}"));
                var result = answer.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                    rate = double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
            }
        }

        Assert.False(prometheus.HasExited, "prometheus exited early");
        Assert.NotNull(rate);
        // At most the machine's cores; more than nothing however loaded the machine is.
        Assert.InRange(rate.Value, 0.001, Environment.ProcessorCount + 0.5);
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        foreach (var dir in CgroupDirectories("busy").Concat(CgroupDirectories("idle")).Concat(CgroupDirectories(null)))
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(dir); attempt++)
            {
                try
                {
                    Directory.Delete(dir);
                }
                catch (IOException)
                {
                    Thread.Sleep(100); // the killed processes leave the cgroup asynchronously
                }
            }
        }

        _temp.Dispose();
    }

    private void StartInCgroup(string name, string script)
    {
        var dirs = CgroupDirectories(name).ToList();
        Assert.NotEmpty(dirs);
        foreach (var dir in dirs) Directory.CreateDirectory(dir);
        var memory = _hierarchy.IsV1 ? Path.Combine(_hierarchy.V1Controllers["memory"], _group, name, "memory.limit_in_bytes") : Path.Combine(_hierarchy.Unified!, _group, name, "memory.max");
        File.WriteAllText(memory, (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The shell joins the cgroups before it runs the workload, so every CPU cycle is charged there.
        var join = string.Join(" ", dirs.Select(d => $"echo $$ > {Path.Combine(d, "cgroup.procs")};"));
        Start("sh", $"-c \"{join} exec sh -c '{script}'\"");
        var record = new Dictionary<string, string?>
        {
            ["id"] = name, ["namespace"] = "k8s.io", ["kind"] = "wasm", ["status"] = "running", ["cgroupPath"] = $"/{_group}/{name}",
            ["podNamespace"] = "default", ["podName"] = $"{name}-7d9f8c6b5-x2x4z", ["containerName"] = name,
        };
        Directory.CreateDirectory(_temp.Combine("state", "k8s.io"));
        File.WriteAllText(_temp.Combine("state", "k8s.io", name + ".json"), JsonSerializer.Serialize(record));
    }

    private IEnumerable<string> CgroupDirectories(string? name)
    {
        var relative = name is null ? _group : Path.Combine(_group, name);
        if (_hierarchy.IsV1)
        {
            foreach (var controller in new[] { "cpu", "cpuacct", "memory" }) yield return Path.Combine(_hierarchy.V1Controllers[controller], relative);
        }
        else
        {
            yield return Path.Combine(_hierarchy.Unified!, relative);
        }
    }

    private Process Start(string program, string arguments)
    {
        var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"cannot start {program}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
