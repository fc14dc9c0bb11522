namespace WasmKube.Prometheus;

/// <summary>
/// Produces metric families when scraped. Counters, gauges and histograms are collectors; so is anything that reads
/// its values only at scrape time (such as cgroup statistics), which keeps scrapes consistent and idle nodes cheap.
/// </summary>
public interface ICollector
{
    IEnumerable<MetricFamily> Collect();
}
