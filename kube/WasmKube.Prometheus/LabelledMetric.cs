using System.Collections.Concurrent;

namespace WasmKube.Prometheus;

/// <summary>
/// A metric family whose series are told apart by label values. Series are created on first use and can be removed
/// (for example when a container goes away) so that a long-running process does not keep dead series.
/// </summary>
public abstract class LabelledMetric<TSeries> : ICollector
    where TSeries : class
{
    private readonly ConcurrentDictionary<string, (string[] Values, TSeries Series)> _series = new(StringComparer.Ordinal);

    private protected LabelledMetric(string name, string help, IReadOnlyList<string> labelNames)
    {
        MetricNames.CheckMetricName(name);
        MetricNames.CheckLabelNames(labelNames);
        Name = name;
        Help = help;
        LabelNames = [.. labelNames];
    }

    public string Name { get; }

    public string Help { get; }

    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The series for these label values, in the order of <see cref="LabelNames"/>.</summary>
    public TSeries WithLabels(params string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
            throw new ArgumentException($"{Name} has {LabelNames.Count} labels ({string.Join(", ", LabelNames)}), {labelValues.Length} values were given", nameof(labelValues));
        var key = Key(labelValues);
        if (_series.TryGetValue(key, out var existing)) return existing.Series;
        return _series.GetOrAdd(key, (_, values) => (values, CreateSeries()), (string[])labelValues.Clone()).Series;
    }

    /// <summary>The series for these label values if it exists; unlike <see cref="WithLabels"/>, creates none.</summary>
    public TSeries? Find(params string[] labelValues) =>
        labelValues.Length == LabelNames.Count && _series.TryGetValue(Key(labelValues), out var existing) ? existing.Series : null;

    /// <summary>Drops the series with these label values; returns whether it existed.</summary>
    public bool Remove(params string[] labelValues) => _series.TryRemove(Key(labelValues), out _);

    public IEnumerable<MetricFamily> Collect()
    {
        var samples = new List<MetricSample>();
        foreach (var (values, series) in _series.Values.OrderBy(s => Key(s.Values), StringComparer.Ordinal))
        {
            AddSamples(samples, values, series);
        }

        yield return new MetricFamily(Name, Help, Type, LabelNames, samples);
    }

    private protected abstract MetricType Type { get; }

    private protected abstract TSeries CreateSeries();

    private protected abstract void AddSamples(List<MetricSample> samples, string[] labelValues, TSeries series);

    private static string Key(string[] values) => string.Join('\u0000', values);
}
