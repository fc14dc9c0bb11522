namespace WasmKube.Prometheus;

/// <summary>All samples of one metric name, as written under one HELP and TYPE line.</summary>
public sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<string> LabelNames, IReadOnlyList<MetricSample> Samples);
