namespace WasmKube.Prometheus;

/// <summary>One series of a <see cref="Histogram"/>. Thread-safe; a snapshot is consistent (count = +Inf bucket).</summary>
public sealed class HistogramSeries
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private readonly Lock _lock = new();
    private double _sum;
    private long _count;

    internal HistogramSeries(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length];
    }

    public void Observe(double value)
    {
        if (double.IsNaN(value)) throw new ArgumentOutOfRangeException(nameof(value), "NaN cannot be observed");
        var bucket = Array.BinarySearch(_bounds, value);
        if (bucket < 0) bucket = ~bucket;
        lock (_lock)
        {
            if (bucket < _counts.Length) _counts[bucket]++;
            _sum += value;
            _count++;
        }
    }

    /// <summary>Per-bucket (not cumulative) counts, the sum and the count, taken together.</summary>
    public (long[] Counts, double Sum, long Count) Snapshot()
    {
        lock (_lock)
        {
            return ((long[])_counts.Clone(), _sum, _count);
        }
    }
}
