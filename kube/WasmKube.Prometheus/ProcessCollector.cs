using System.Diagnostics;

namespace WasmKube.Prometheus;

/// <summary>
/// The process's own footprint, read at scrape time: the families of the Prometheus client libraries' process
/// collector (<c>process_cpu_seconds_total</c>, <c>process_resident_memory_bytes</c>, ...) plus the managed heap
/// (<c>dotnet_gc_*</c>), so a .NET process shows beside Go controllers under the same names.
/// </summary>
public sealed class ProcessCollector : ICollector
{
    private static readonly string[] NoLabels = [];

    public IEnumerable<MetricFamily> Collect()
    {
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        return
        [
            Family("process_cpu_seconds_total", MetricType.Counter, "Total user and system CPU time spent in seconds.", process.TotalProcessorTime.TotalSeconds),
            Family("process_resident_memory_bytes", MetricType.Gauge, "Resident memory size in bytes.", process.WorkingSet64),
            Family("process_virtual_memory_bytes", MetricType.Gauge, "Virtual memory size in bytes.", process.VirtualMemorySize64),
            Family("process_start_time_seconds", MetricType.Gauge, "Start time of the process since unix epoch in seconds.",
                new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0),
            Family("process_open_fds", MetricType.Gauge, "Number of open file descriptors.", OpenFileDescriptors()),
            Family("dotnet_gc_heap_size_bytes", MetricType.Gauge, "Managed heap size after the last garbage collection.", gc.HeapSizeBytes),
            Family("dotnet_gc_committed_bytes", MetricType.Gauge, "Memory the garbage collector had committed at the last garbage collection.", gc.TotalCommittedBytes),
        ];
    }

    private static MetricFamily Family(string name, MetricType type, string help, double value) =>
        new(name, help, type, NoLabels, [new MetricSample(NoLabels, value)]);

    private static int OpenFileDescriptors()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
