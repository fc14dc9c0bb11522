namespace WasmKube.Prometheus;

/// <summary>A value that only goes up (until the process restarts). Names end in <c>_total</c> by convention.</summary>
public sealed class Counter : LabelledMetric<CounterSeries>
{
    public Counter(string name, string help, params string[] labelNames)
        : base(name, help, labelNames)
    {
    }

    /// <summary>The series of a counter without labels.</summary>
    public CounterSeries Unlabelled => WithLabels();

    public void Inc(double amount = 1) => Unlabelled.Inc(amount);

    private protected override MetricType Type => MetricType.Counter;

    private protected override CounterSeries CreateSeries() => new();

    private protected override void AddSamples(List<MetricSample> samples, string[] labelValues, CounterSeries series) =>
        samples.Add(new MetricSample(labelValues, series.Value));
}
