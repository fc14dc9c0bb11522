using WasmKube.Prometheus;

namespace WasmKube.Kube.Controllers;

/// <summary>
/// The series one <see cref="RateLimitingQueue{T}"/> reports into, with client-go's meanings: depth counts keys
/// waiting to be handed out, adds counts accepted adds (not those folded into a waiting key), queue duration runs
/// from the first add to the hand-out, work duration from the hand-out to Done, retries counts delayed adds.
/// </summary>
public sealed class WorkQueueMetrics(GaugeSeries depth, CounterSeries adds, HistogramSeries queueDuration, HistogramSeries workDuration, CounterSeries retries)
{
    internal GaugeSeries Depth => depth;

    internal CounterSeries Adds => adds;

    internal HistogramSeries QueueDuration => queueDuration;

    internal HistogramSeries WorkDuration => workDuration;

    internal CounterSeries Retries => retries;
}
