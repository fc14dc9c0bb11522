namespace WasmKube.Prometheus;

/// <summary>
/// The collectors one endpoint exposes. Create metrics through it, or register any <see cref="ICollector"/>; a scrape
/// collects all of them and writes the text format.
/// </summary>
public sealed class MetricRegistry
{
    private readonly Lock _lock = new();
    private readonly List<ICollector> _collectors = [];

    public Counter CreateCounter(string name, string help, params string[] labelNames) => Register(new Counter(name, help, labelNames));

    public Gauge CreateGauge(string name, string help, params string[] labelNames) => Register(new Gauge(name, help, labelNames));

    public Histogram CreateHistogram(string name, string help, IReadOnlyList<double>? buckets = null, params string[] labelNames) =>
        Register(new Histogram(name, help, buckets, labelNames));

    public T Register<T>(T collector)
        where T : ICollector
    {
        lock (_lock)
        {
            _collectors.Add(collector);
        }

        return collector;
    }

    public IReadOnlyList<MetricFamily> Collect()
    {
        ICollector[] collectors;
        lock (_lock)
        {
            collectors = [.. _collectors];
        }

        return [.. collectors.SelectMany(c => c.Collect())];
    }

    /// <summary>Collects and writes every family in the text exposition format 0.0.4.</summary>
    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var text = TextFormat.Write(Collect());
        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
        await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
    }
}
