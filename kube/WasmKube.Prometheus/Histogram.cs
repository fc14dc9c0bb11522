namespace WasmKube.Prometheus;

/// <summary>
/// Counts observations into cumulative buckets and keeps their sum and count, written as the <c>_bucket</c> (with
/// <c>le</c>), <c>_sum</c> and <c>_count</c> series.
/// </summary>
public sealed class Histogram : LabelledMetric<HistogramSeries>
{
    /// <summary>Bounds in seconds suited to latencies from a millisecond to tens of seconds.</summary>
    public static readonly IReadOnlyList<double> DefaultBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly double[] _bounds;

    /// <summary><paramref name="count"/> bounds from <paramref name="start"/>, each <paramref name="factor"/> times the one before.</summary>
    public static IReadOnlyList<double> ExponentialBuckets(double start, double factor, int count)
    {
        if (start <= 0 || factor <= 1 || count < 1)
            throw new ArgumentException($"exponential buckets need start > 0, factor > 1 and count >= 1 (got {start}, {factor}, {count})");
        var bounds = new double[count];
        bounds[0] = start;
        for (var i = 1; i < count; i++) bounds[i] = bounds[i - 1] * factor;
        return bounds;
    }

    public Histogram(string name, string help, IReadOnlyList<double>? buckets = null, params string[] labelNames)
        : base(name, help, labelNames)
    {
        var bounds = (buckets ?? DefaultBuckets).Where(b => !double.IsPositiveInfinity(b)).ToArray();
        if (bounds.Length == 0 || bounds.Any(double.IsNaN))
            throw new ArgumentException("a histogram needs at least one finite bucket bound", nameof(buckets));
        for (var i = 1; i < bounds.Length; i++)
        {
            if (bounds[i] <= bounds[i - 1]) throw new ArgumentException("bucket bounds must increase", nameof(buckets));
        }

        _bounds = bounds;
    }

    public IReadOnlyList<double> Buckets => _bounds;

    /// <summary>The series of a histogram without labels.</summary>
    public HistogramSeries Unlabelled => WithLabels();

    public void Observe(double value) => Unlabelled.Observe(value);

    private protected override MetricType Type => MetricType.Histogram;

    private protected override HistogramSeries CreateSeries() => new(_bounds);

    private protected override void AddSamples(List<MetricSample> samples, string[] labelValues, HistogramSeries series)
    {
        var (counts, sum, count) = series.Snapshot();
        long cumulative = 0;
        for (var i = 0; i < _bounds.Length; i++)
        {
            cumulative += counts[i];
            samples.Add(new MetricSample(labelValues, cumulative, "_bucket", _bounds[i]));
        }

        samples.Add(new MetricSample(labelValues, count, "_bucket", double.PositiveInfinity));
        samples.Add(new MetricSample(labelValues, sum, "_sum"));
        samples.Add(new MetricSample(labelValues, count, "_count"));
    }
}
