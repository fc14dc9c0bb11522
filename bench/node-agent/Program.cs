using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WasmKube.Cgroups;
using WasmKube.Contracts;
using WasmKube.NodeAgent.Metrics;
using WasmKube.Prometheus;

// Scrape time of the node agent with N wasm containers: each scrape reads every container record and its cgroup
// files (a cgroup v2 layout made in a temp folder, as the kernel lays it out) and writes the text format.
var containers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
const int Scrapes = 30;
var root = Path.Combine(Path.GetTempPath(), $"wasmkube-scrape-bench-{Guid.NewGuid():N}");
try
{
    var state = Path.Combine(root, "state", "k8s.io");
    var unified = Path.Combine(root, "cgroup");
    Directory.CreateDirectory(state);
    for (var i = 0; i < containers; i++)
    {
        var cgroup = Path.Combine(unified, "kubepods", $"pod{i}", $"c{i}");
        Directory.CreateDirectory(cgroup);
        File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), $"usage_usec {i * 1000}\nuser_usec 1\nsystem_usec 1\nnr_periods 0\nnr_throttled 0\nthrottled_usec {i}\n");
        File.WriteAllText(Path.Combine(cgroup, "memory.current"), $"{1_000_000 + i}\n");
        File.WriteAllText(Path.Combine(cgroup, "memory.stat"), "anon 500000\nfile 400000\nkernel 0\nshmem 0\ninactive_file 100000\nactive_file 300000\n");
        File.WriteAllText(Path.Combine(cgroup, "memory.max"), "67108864\n");
        File.WriteAllText(Path.Combine(cgroup, "cpu.max"), "50000 100000\n");
        File.WriteAllText(Path.Combine(state, $"c{i}{ContainerRecordLayout.RecordSuffix}"), JsonSerializer.Serialize(new ContainerRecord
        {
            Id = $"c{i}", Namespace = "k8s.io", Kind = ContainerRecord.Wasm, Bundle = $"/run/c{i}", Status = ContainerRecord.Running,
            CgroupPath = $"/kubepods/pod{i}/c{i}", PodNamespace = "default", PodName = $"app{i % 50}-7d9f8c6b5-x{i:d4}", ContainerName = "app",
        }, ContractJson.Default.ContainerRecord));
        File.WriteAllText(Path.Combine(state, $"c{i}{ContainerRecordLayout.EngineStatsSuffix}"), JsonSerializer.Serialize(new EngineStats
        {
            Engine = Engines.Wasmtime, CompileSeconds = 0.02, StartSeconds = 0.03, LinearMemoryBytes = 131072,
        }, ContractJson.Default.EngineStats));
    }

    var records = new ContainerRecordReader(Path.Combine(root, "state"));
    var registry = new MetricRegistry();
    registry.Register(new WorkloadMetricsCollector(records, new CgroupStatsReader(new CgroupHierarchy(new Dictionary<string, string>(), unified))));
    registry.Register(new EngineMetricsCollector(records));

    var times = new List<double>();
    var bytes = 0;
    for (var i = 0; i < Scrapes + 3; i++)
    {
        var watch = Stopwatch.StartNew();
        using var output = new MemoryStream();
        await registry.WriteAsync(output);
        watch.Stop();
        bytes = (int)output.Length;
        if (i >= 3) times.Add(watch.Elapsed.TotalMilliseconds); // the first scrapes include JIT compilation
        await Task.Delay(600); // past the record reuse window: every scrape reads every file
    }

    times.Sort();
    Console.WriteLine($"node-agent scrape: {containers} containers, {bytes / 1024} KiB of exposition");
    Console.WriteLine(FormattableString.Invariant($"  median {times[times.Count / 2]:F1} ms, fastest {times[0]:F1} ms, slowest {times[^1]:F1} ms over {Scrapes} scrapes"));
}
finally
{
    Directory.Delete(root, recursive: true);
}
