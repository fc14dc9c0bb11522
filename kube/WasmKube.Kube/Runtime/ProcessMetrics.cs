using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace WasmKube.Kube.Runtime;

/// <summary>
/// The process collector's standard families (process_cpu_seconds_total, process_resident_memory_bytes, ...) plus the
/// managed heap, so an operator's own footprint shows beside its reconcile metrics as it does for Go controllers.
/// </summary>
public static class ProcessMetrics
{
    public static string Render()
    {
        var text = new StringBuilder();
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        Family(text, "process_cpu_seconds_total", "counter", "User and system CPU time spent in seconds.", process.TotalProcessorTime.TotalSeconds);
        Family(text, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", process.WorkingSet64);
        Family(text, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", process.VirtualMemorySize64);
        Family(text, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
            new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        Family(text, "process_open_fds", "gauge", "Number of open file descriptors.", OpenFileDescriptors());
        Family(text, "dotnet_gc_heap_size_bytes", "gauge", "Managed heap size after the last garbage collection.", gc.HeapSizeBytes);
        Family(text, "dotnet_gc_committed_bytes", "gauge", "Memory the garbage collector has committed.", gc.TotalCommittedBytes);
        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");

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
