using WasmKube.Kube.Testing;
using WasmKube.Prometheus;

namespace WasmKube.Prometheus.Tests;

public sealed class TextFormatTests
{
    [Fact]
    public void Counter_series_are_written_with_help_type_and_labels()
    {
        var registry = new MetricRegistry();
        var requests = registry.CreateCounter("requests_total", "Requests served.", "method", "code");
        requests.WithLabels("GET", "200").Inc();
        requests.WithLabels("GET", "200").Inc(2);
        requests.WithLabels("POST", "500").Inc();

        var text = TextFormat.Write(registry.Collect());

        Assert.Equal(
            "# HELP requests_total Requests served.\n" +
            "# TYPE requests_total counter\n" +
            "requests_total{method=\"GET\",code=\"200\"} 3\n" +
            "requests_total{method=\"POST\",code=\"500\"} 1\n",
            text);
    }

    [Fact]
    public void Label_values_and_help_are_escaped()
    {
        var gauge = new Gauge("g", "line one\nback\\slash", "path");
        gauge.WithLabels("C:\\dir \"quoted\"\nnext").Set(1.5);

        var text = TextFormat.Write(gauge.Collect());

        Assert.Contains("# HELP g line one\\nback\\\\slash\n", text, StringComparison.Ordinal);
        Assert.Contains("g{path=\"C:\\\\dir \\\"quoted\\\"\\nnext\"} 1.5\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1E+21")]
    [InlineData(-3.0, "-3")]
    public void Values_are_written_as_the_parser_expects(double value, string expected) =>
        Assert.Equal(expected, TextFormat.FormatValue(value));

    [Fact]
    public void Histogram_buckets_are_cumulative_and_end_with_inf()
    {
        var histogram = new Histogram("start_seconds", "Start latency.", [0.1, 1], "workload");
        var series = histogram.WithLabels("hello");
        series.Observe(0.05);
        series.Observe(0.5);
        series.Observe(0.5);
        series.Observe(7);

        var text = TextFormat.Write(histogram.Collect());

        Assert.Contains("start_seconds_bucket{workload=\"hello\",le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("start_seconds_bucket{workload=\"hello\",le=\"1\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("start_seconds_bucket{workload=\"hello\",le=\"+Inf\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("start_seconds_sum{workload=\"hello\"} 8.05\n", text, StringComparison.Ordinal);
        Assert.Contains("start_seconds_count{workload=\"hello\"} 4\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_histogram_family_is_written_whole_with_its_type_and_every_bucket()
    {
        var histogram = new Histogram("reconcile_seconds", "Reconcile time.", [0.5, 2], "controller");
        histogram.WithLabels("b").Observe(1);
        histogram.WithLabels("a");

        var text = TextFormat.Write(histogram.Collect());

        // Series in label order; a series with no observation still has every bucket, so rates start at zero.
        Assert.Equal(
            "# HELP reconcile_seconds Reconcile time.\n" +
            "# TYPE reconcile_seconds histogram\n" +
            "reconcile_seconds_bucket{controller=\"a\",le=\"0.5\"} 0\n" +
            "reconcile_seconds_bucket{controller=\"a\",le=\"2\"} 0\n" +
            "reconcile_seconds_bucket{controller=\"a\",le=\"+Inf\"} 0\n" +
            "reconcile_seconds_sum{controller=\"a\"} 0\n" +
            "reconcile_seconds_count{controller=\"a\"} 0\n" +
            "reconcile_seconds_bucket{controller=\"b\",le=\"0.5\"} 0\n" +
            "reconcile_seconds_bucket{controller=\"b\",le=\"2\"} 1\n" +
            "reconcile_seconds_bucket{controller=\"b\",le=\"+Inf\"} 1\n" +
            "reconcile_seconds_sum{controller=\"b\"} 1\n" +
            "reconcile_seconds_count{controller=\"b\"} 1\n",
            text);
    }

    [Fact]
    public void An_unlabelled_histogram_has_le_as_its_only_label_and_a_bound_value_counts_in_its_bucket()
    {
        var histogram = new Histogram("wait_seconds", "Wait.", [1, 10]);
        histogram.Observe(1);
        histogram.Observe(10);
        histogram.Observe(11);

        var text = TextFormat.Write(histogram.Collect());

        // Buckets are "less than or equal": an observation equal to a bound belongs to that bound.
        Assert.Contains("wait_seconds_bucket{le=\"1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("wait_seconds_bucket{le=\"10\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("wait_seconds_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("wait_seconds_sum 22\n", text, StringComparison.Ordinal);
        Assert.Contains("wait_seconds_count 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Exponential_buckets_multiply_from_the_start()
    {
        var bounds = Histogram.ExponentialBuckets(10e-9, 10, 12);

        Assert.Equal(12, bounds.Count);
        Assert.Equal(1e-8, bounds[0], 1e-20);
        Assert.Equal(1000, bounds[^1], 1e-9);
        Assert.All(bounds.Zip(bounds.Skip(1)), pair => Assert.Equal(10, pair.Second / pair.First, 1e-9));
        Assert.Throws<ArgumentException>(() => Histogram.ExponentialBuckets(0, 10, 3));
        Assert.Throws<ArgumentException>(() => Histogram.ExponentialBuckets(1, 1, 3));
        Assert.Throws<ArgumentException>(() => Histogram.ExponentialBuckets(1, 2, 0));
    }

    [Fact]
    public void Every_label_value_is_escaped_in_every_sample_line_of_a_histogram()
    {
        var histogram = new Histogram("h_seconds", "help", [1], "name");
        histogram.WithLabels("a\"b\\c\nd").Observe(0.5);

        var lines = TextFormat.Write(histogram.Collect()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();

        Assert.Equal(4, lines.Count);
        Assert.All(lines, line => Assert.Contains("name=\"a\\\"b\\\\c\\nd\"", line, StringComparison.Ordinal));
    }

    [Fact]
    public void The_process_collector_reports_this_process()
    {
        // The dotnet_gc_* families describe the heap as the last collection left it.
        GC.Collect();
        var families = new ProcessCollector().Collect().ToDictionary(f => f.Name);

        Assert.Equal(MetricType.Counter, families["process_cpu_seconds_total"].Type);
        var resident = Assert.Single(families["process_resident_memory_bytes"].Samples).Value;
        Assert.InRange(resident, 1e6, Environment.WorkingSet * 4.0);
        var started = Assert.Single(families["process_start_time_seconds"].Samples).Value;
        Assert.InRange(started, DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.True(Assert.Single(families["process_open_fds"].Samples).Value > 0);
        Assert.True(Assert.Single(families["dotnet_gc_committed_bytes"].Samples).Value > 0);
        Assert.True(Assert.Single(families["dotnet_gc_heap_size_bytes"].Samples).Value > 0);
    }

    [Fact]
    public void Removed_series_are_no_longer_written()
    {
        var gauge = new Gauge("memory_bytes", "Memory.", "pod");
        gauge.WithLabels("a").Set(1);
        gauge.WithLabels("b").Set(2);

        Assert.True(gauge.Remove("a"));
        Assert.Null(gauge.Find("a"));
        Assert.Equal(2, gauge.Find("b")!.Value);

        var text = TextFormat.Write(gauge.Collect());
        Assert.DoesNotContain("pod=\"a\"", text, StringComparison.Ordinal);
        Assert.Contains("memory_bytes{pod=\"b\"} 2\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("")]
    public void Invalid_metric_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new Counter(name, "help"));

    [Theory]
    [InlineData("__reserved")]
    [InlineData("le")]
    [InlineData("a-b")]
    public void Invalid_label_names_are_refused(string label) =>
        Assert.Throws<ArgumentException>(() => new Gauge("ok", "help", label));

    [Fact]
    public void Counters_refuse_to_go_down()
    {
        var counter = new Counter("c_total", "help");
        counter.Unlabelled.IncTo(10);
        counter.Unlabelled.IncTo(4);

        Assert.Equal(10, counter.Unlabelled.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(-1));
    }

    [Fact]
    public void A_family_collected_twice_is_an_error()
    {
        var registry = new MetricRegistry();
        registry.CreateGauge("same", "one");
        registry.CreateGauge("same", "two");

        Assert.Throws<InvalidOperationException>(() => TextFormat.Write(registry.Collect()));
    }

    [Fact]
    public async Task Promtool_accepts_the_output()
    {
        var registry = new MetricRegistry();
        registry.CreateCounter("wasm_exits_total", "Guest exits by code.", "namespace", "pod", "code").WithLabels("default", "p\"1", "0").Inc();
        registry.CreateGauge("wasm_linear_memory_bytes", "Linear memory.", "pod").WithLabels("p\\2").Set(65536);
        registry.CreateHistogram("wasm_compile_seconds", "Compile time.", null, "module").WithLabels("hello").Observe(0.02);
        registry.CreateHistogram("wasm_wait_seconds", "Wait.", Histogram.ExponentialBuckets(10e-9, 10, 12)).Observe(3);
        registry.Register(new ProcessCollector());

        var (exitCode, output) = await Promtool.CheckMetricsAsync(TextFormat.Write(registry.Collect()));

        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}): {output}");
        Assert.DoesNotContain("problem", output, StringComparison.OrdinalIgnoreCase);
    }
}
