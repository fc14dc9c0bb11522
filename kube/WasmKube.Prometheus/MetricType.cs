namespace WasmKube.Prometheus;

/// <summary>The metric types of the text exposition format 0.0.4 that this library writes.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
