using System.Diagnostics;
using System.Text.Json;
using WasmKube.Cgroups;
using WasmKube.Contracts;
using WasmKube.NodeAgent.Metrics;
using WasmKube.Prometheus;

namespace WasmKube.NodeAgent.Tests.Metrics;

/// <summary>
/// The collector against real kernel cgroups (created by the test as root) holding a busy and an idle process.
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
        var record = new ContainerRecord
        {
            Id = name, Namespace = "k8s.io", Kind = ContainerRecord.Wasm, Bundle = "/b", Status = ContainerRecord.Running, CgroupPath = $"/{_group}/{name}",
            PodNamespace = "default", PodName = $"{name}-7d9f8c6b5-x2x4z", ContainerName = name,
        };
        Directory.CreateDirectory(_temp.Combine("state", "k8s.io"));
        File.WriteAllText(_temp.Combine("state", "k8s.io", name + ContainerRecordLayout.RecordSuffix), JsonSerializer.Serialize(record, ContractJson.Default.ContainerRecord));
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
}
