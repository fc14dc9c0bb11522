using System.Text.Json;
using WasmKube.Contracts;
using WasmKube.NodeAgent.Metrics;
using WasmKube.Prometheus;

namespace WasmKube.NodeAgent.Tests.Metrics;

public sealed class EngineMetricsCollectorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ManualTime _time = new();

    [Fact]
    public void Running_containers_report_instances_memory_and_start_times_once()
    {
        WriteRecord("a", "running", null);
        WriteEngineStats("a", compileSeconds: 0.02, startSeconds: 0.03, linearMemoryBytes: 131072);
        var collector = new EngineMetricsCollector(new ContainerRecordReader(_temp.Combine("state"), _time));

        TextFormat.Write(collector.Collect());
        var text = TextFormat.Write(collector.Collect());

        const string labels = "{namespace=\"default\",pod=\"hello-7d9f8c6b5-x2x4z\",container=\"a\",workload=\"hello\"}";
        Assert.Contains($"wasmkube_wasm_instances{labels} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"wasmkube_wasm_linear_memory_bytes{labels} 131072\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmkube_wasm_module_compile_seconds_count{namespace=\"default\",workload=\"hello\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmkube_wasm_instance_start_seconds_bucket{namespace=\"default\",workload=\"hello\",le=\"0.05\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmkube_wasm_instance_start_seconds_bucket{namespace=\"default\",workload=\"hello\",le=\"0.025\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exit_is_counted_once_and_ends_the_instance_series()
    {
        WriteRecord("a", "running", null);
        WriteEngineStats("a", 0.01, 0.01, 65536);
        var collector = new EngineMetricsCollector(new ContainerRecordReader(_temp.Combine("state"), _time));
        TextFormat.Write(collector.Collect());

        WriteRecord("a", "stopped", 137);
        _time.Advance(TimeSpan.FromSeconds(1));
        TextFormat.Write(collector.Collect());
        _time.Advance(TimeSpan.FromSeconds(1));
        var text = TextFormat.Write(collector.Collect());

        // The executor wrote no exit reason (killed by SIGKILL): a code above 128 counts as a signal.
        Assert.Contains("wasmkube_wasm_exits_total{namespace=\"default\",workload=\"hello\",reason=\"signal\",code=\"137\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wasmkube_wasm_instances{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wasmkube_wasm_linear_memory_bytes{", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out-of-fuel", 134)]
    [InlineData("timeout", 124)]
    [InlineData("trap", 134)]
    [InlineData("exited", 3)]
    [InlineData("refused", 127)]
    public void Exits_are_labelled_with_the_reason_the_executor_wrote(string reason, int code)
    {
        WriteRecord("a", "running", null);
        WriteEngineStats("a", 0.01, 0.01, 65536);
        var collector = new EngineMetricsCollector(new ContainerRecordReader(_temp.Combine("state"), _time));
        TextFormat.Write(collector.Collect());

        WriteEngineStats("a", 0.01, 0.01, 65536, reason, code);
        WriteRecord("a", "stopped", code);
        _time.Advance(TimeSpan.FromSeconds(1));
        var text = TextFormat.Write(collector.Collect());

        Assert.Contains($"wasmkube_wasm_exits_total{{namespace=\"default\",workload=\"hello\",reason=\"{reason}\",code=\"{code}\"}} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exit_first_seen_after_the_task_was_deleted_is_counted_once()
    {
        // CRI deletes a task as soon as it exits: the shim's retired record is often the first the agent sees of it.
        WriteRecord("a", "deleted", 124);
        WriteEngineStats("a", 0.01, 0.01, 65536, "timeout", 124);
        var collector = new EngineMetricsCollector(new ContainerRecordReader(_temp.Combine("state"), _time));

        TextFormat.Write(collector.Collect());
        _time.Advance(TimeSpan.FromSeconds(1));
        var text = TextFormat.Write(collector.Collect());

        Assert.Contains("wasmkube_wasm_exits_total{namespace=\"default\",workload=\"hello\",reason=\"timeout\",code=\"124\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wasmkube_wasm_instances{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exit_without_the_executors_reason_and_no_signal_is_unknown()
    {
        WriteRecord("a", "stopped", 2);
        var collector = new EngineMetricsCollector(new ContainerRecordReader(_temp.Combine("state"), _time));

        var text = TextFormat.Write(collector.Collect());

        Assert.Contains("wasmkube_wasm_exits_total{namespace=\"default\",workload=\"hello\",reason=\"unknown\",code=\"2\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deleted_container_drops_its_series()
    {
        WriteRecord("a", "running", null);
        WriteEngineStats("a", 0.01, 0.01, 65536);
        var collector = new EngineMetricsCollector(new ContainerRecordReader(_temp.Combine("state"), _time));
        TextFormat.Write(collector.Collect());

        File.Delete(_temp.Combine("state", "k8s.io", "a.json"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var text = TextFormat.Write(collector.Collect());

        Assert.DoesNotContain("wasmkube_wasm_instances{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_read_for_one_scrape_are_reused_only_briefly()
    {
        WriteRecord("a", "running", null);
        var reader = new ContainerRecordReader(_temp.Combine("state"), _time);
        Assert.Single(reader.ReadRecords());

        WriteRecord("b", "running", null);
        Assert.Single(reader.ReadRecords());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, reader.ReadRecords().Count);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Files_that_are_not_plain_records_cannot_block_a_scrape_or_pass_for_a_container()
    {
        // What would hurt if it appeared in the state directory: a FIFO in place of statistics, an endless file, a
        // record-shaped file in a folder below a namespace.
        WriteRecord("a", "running", null);
        WriteRecord("b", "running", null);
        var folder = _temp.Combine("state", "k8s.io", "a.engine");
        Directory.CreateDirectory(folder);
        Assert.Equal(0, Mkfifo(Path.Combine(folder, "a.engine.json"), Convert.ToUInt32("644", 8)));
        File.CreateSymbolicLink(_temp.Combine("state", "k8s.io", "a" + ContainerRecordLayout.EngineStatsSuffix), "a.engine/a.engine.json");
        File.WriteAllText(_temp.Combine("state", "k8s.io", "b" + ContainerRecordLayout.EngineStatsSuffix), new string(' ', 100_000) + "{}");
        File.WriteAllText(Path.Combine(folder, "forged.json"), JsonSerializer.Serialize(Record("forged", ContainerRecord.Running, null) with
        {
            PodName = "victim",
        }, ContractJson.Default.ContainerRecord));
        var reader = new ContainerRecordReader(_temp.Combine("state"), _time);

        var read = Task.Run(() => (Records: reader.ReadRecords(), Stats: reader.ReadRecords().Select(reader.ReadEngineStats).ToList()));

        var (records, stats) = await read.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["a", "b"], records.Select(r => r.Id).Order());
        Assert.All(stats, Assert.Null);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int Mkfifo(string path, uint mode);

    [Fact]
    public void Records_and_statistics_of_a_newer_format_are_skipped_not_misread()
    {
        WriteRecord("current", ContainerRecord.Running, null);
        WriteEngineStats("current", 0.01, 0.01, 65536);
        WriteRecord("newer", ContainerRecord.Running, null, ContainerRecord.CurrentVersion + 1);
        WriteRecord("old-agent-new-stats", ContainerRecord.Running, null);
        WriteEngineStats("old-agent-new-stats", 0.01, 0.01, 65536, version: EngineStats.CurrentVersion + 1);
        var reader = new ContainerRecordReader(_temp.Combine("state"), _time);

        var records = reader.ReadRecords();

        Assert.Equal(["current", "old-agent-new-stats"], records.Select(r => r.Id).Order());
        Assert.NotNull(reader.ReadEngineStats(records.Single(r => r.Id == "current")));
        Assert.Null(reader.ReadEngineStats(records.Single(r => r.Id == "old-agent-new-stats")));
    }

    private static ContainerRecord Record(string id, string status, int? exitStatus, int version = ContainerRecord.CurrentVersion) => new()
    {
        Version = version, Id = id, Namespace = "k8s.io", Kind = ContainerRecord.Wasm, Bundle = "/b", Status = status, CgroupPath = "/x",
        PodNamespace = "default", PodName = "hello-7d9f8c6b5-x2x4z", ContainerName = id, ExitStatus = exitStatus,
    };

    private void WriteRecord(string id, string status, int? exitStatus, int version = ContainerRecord.CurrentVersion)
    {
        Directory.CreateDirectory(_temp.Combine("state", "k8s.io"));
        File.WriteAllText(_temp.Combine("state", "k8s.io", id + ContainerRecordLayout.RecordSuffix),
            JsonSerializer.Serialize(Record(id, status, exitStatus, version), ContractJson.Default.ContainerRecord));
    }

    private void WriteEngineStats(string id, double compileSeconds, double startSeconds, long linearMemoryBytes, string? exitReason = null,
        int? exitCode = null, int version = EngineStats.CurrentVersion)
    {
        var stats = new EngineStats
        {
            Version = version, Engine = Engines.Wasmtime, CompileSeconds = compileSeconds, StartSeconds = startSeconds,
            LinearMemoryBytes = linearMemoryBytes, ExitReason = exitReason, ExitCode = exitCode,
        };
        File.WriteAllText(_temp.Combine("state", "k8s.io", id + ContainerRecordLayout.EngineStatsSuffix), JsonSerializer.Serialize(stats, ContractJson.Default.EngineStats));
    }
}
