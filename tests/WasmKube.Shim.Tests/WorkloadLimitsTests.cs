using System.Text.Json.Nodes;
using WasmKube.Contracts;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Tasks;
using WasmKube.Shim.Ttrpc;

namespace WasmKube.Shim.Tests;

public sealed class WorkloadLimitsTests
{
    private static OciSpec Spec(params (string Name, string Value)[] annotations)
    {
        var root = JsonNode.Parse("""{"process": {"args": ["/app.wasm"]}, "annotations": {}}""")!;
        foreach (var (name, value) in annotations) root["annotations"]![name] = value;
        return OciSpec.Parse(root);
    }

    [Theory]
    [InlineData("67108864", 67108864L)]
    [InlineData("64Mi", 64L << 20)]
    [InlineData("1Gi", 1L << 30)]
    [InlineData("2Ti", 2L << 40)]
    [InlineData("512Ki", 512L << 10)]
    [InlineData("128k", 128_000L)]
    [InlineData("64M", 64_000_000L)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("1T", 1_000_000_000_000L)]
    [InlineData("1e9", 1_000_000_000L)]
    [InlineData("5E6", 5_000_000L)]
    [InlineData("1.5Gi", 3L << 29)]
    [InlineData("0.5Ki", 512L)]
    [InlineData("2E", 2_000_000_000_000_000_000L)]
    [InlineData("1500m", 2L)]
    [InlineData("+1Mi", 1L << 20)]
    public void Max_memory_reads_kubernetes_quantities_in_bytes(string annotation, long bytes) =>
        Assert.Equal(bytes, WorkloadLimits.From(Spec((PodAnnotations.MaxMemory, annotation))).MaxMemoryBytes);

    [Theory]
    [InlineData("30s", 30_000.0)]
    [InlineData("1m30s", 90_000.0)]
    [InlineData("500ms", 500.0)]
    [InlineData("1.5h", 5_400_000.0)]
    [InlineData("2h45m", 9_900_000.0)]
    [InlineData("250us", 0.25)]
    [InlineData("250µs", 0.25)]
    [InlineData("1500000ns", 1.5)]
    [InlineData("1h0m0.5s", 3_600_500.0)]
    public void Timeout_reads_go_durations(string annotation, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), WorkloadLimits.From(Spec((PodAnnotations.Timeout, annotation))).Timeout);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1000000", 1_000_000L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Fuel_reads_whole_numbers(string annotation, long fuel) =>
        Assert.Equal(fuel, WorkloadLimits.From(Spec((PodAnnotations.Fuel, annotation))).Fuel);

    [Fact]
    public void Without_annotations_there_are_no_limits() =>
        Assert.Equal(new WorkloadLimits(null, null, null), WorkloadLimits.From(Spec()));

    [Theory]
    [InlineData(PodAnnotations.MaxMemory, "64MB", "Kubernetes quantity")]
    [InlineData(PodAnnotations.MaxMemory, "lots", "Kubernetes quantity")]
    [InlineData(PodAnnotations.MaxMemory, "0", "Kubernetes quantity")]
    [InlineData(PodAnnotations.MaxMemory, "-64Mi", "Kubernetes quantity")]
    [InlineData(PodAnnotations.MaxMemory, "", "Kubernetes quantity")]
    [InlineData(PodAnnotations.MaxMemory, "1e30", "Kubernetes quantity")]
    [InlineData(PodAnnotations.MaxMemory, "16Ei", "Kubernetes quantity")]
    [InlineData(PodAnnotations.Fuel, "-1", "whole number")]
    [InlineData(PodAnnotations.Fuel, "1e6", "whole number")]
    [InlineData(PodAnnotations.Fuel, "99999999999999999999", "whole number")]
    [InlineData(PodAnnotations.Timeout, "30", "positive duration")]
    [InlineData(PodAnnotations.Timeout, "0s", "positive duration")]
    [InlineData(PodAnnotations.Timeout, "-5s", "positive duration")]
    [InlineData(PodAnnotations.Timeout, "5 s", "positive duration")]
    [InlineData(PodAnnotations.Timeout, "1d", "positive duration")]
    [InlineData(PodAnnotations.Timeout, "00:00:30", "positive duration")]
    [InlineData(PodAnnotations.Timeout, "1.2.3s", "positive duration")]
    [InlineData(PodAnnotations.Timeout, "99999999999h", "positive duration")]
    public void An_annotation_that_does_not_parse_fails_the_create_naming_it_the_value_and_the_form(string annotation, string value, string form)
    {
        var error = Assert.Throws<TtrpcException>(() => WorkloadLimits.From(Spec((annotation, value))));

        Assert.Equal(StatusCode.InvalidArgument, error.Code);
        Assert.Contains(annotation, error.Message);
        Assert.Contains($"\"{value}\"", error.Message);
        Assert.Contains(form, error.Message);
    }

    [Theory]
    [InlineData(500.0, "500ms")]
    [InlineData(30_000.0, "30s")]
    [InlineData(90_000.0, "1m30s")]
    [InlineData(3_600_500.0, "1h0m0.5s")]
    [InlineData(0.25, "250us")]
    public void Durations_are_shown_as_the_annotation_writes_them(double milliseconds, string shown) =>
        Assert.Equal(shown, LimitValues.FormatDuration(TimeSpan.FromMilliseconds(milliseconds)));
}
