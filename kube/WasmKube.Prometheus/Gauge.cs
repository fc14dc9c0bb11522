namespace WasmKube.Prometheus;

/// <summary>A value that goes up and down.</summary>
public sealed class Gauge : LabelledMetric<GaugeSeries>
{
    public Gauge(string name, string help, params string[] labelNames)
        : base(name, help, labelNames)
    {
    }

    /// <summary>The series of a gauge without labels.</summary>
    public GaugeSeries Unlabelled => WithLabels();

    public void Set(double value) => Unlabelled.Set(value);

    private protected override MetricType Type => MetricType.Gauge;

    private protected override GaugeSeries CreateSeries() => new();

    private protected override void AddSamples(List<MetricSample> samples, string[] labelValues, GaugeSeries series) =>
        samples.Add(new MetricSample(labelValues, series.Value));
}
