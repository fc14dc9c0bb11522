namespace WasmKube.Prometheus;

/// <summary>
/// One line of a metric family: label values in the order of <see cref="MetricFamily.LabelNames"/>, the value, and
/// for histograms the series suffix (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>) with the bucket bound.
/// </summary>
public sealed record MetricSample(IReadOnlyList<string> LabelValues, double Value, string Suffix = "", double? UpperBound = null);
