using System.Text;
using System.Threading.Channels;

namespace WasmKube.Shim.Bootstrap;

/// <summary>
/// The daemon's log: the bundle's "log" FIFO that containerd copies into its own log, written from a background
/// thread that drops lines rather than ever blocking the shim (the reader goes away while containerd restarts).
/// WASMKUBE_SHIM_LOG names an extra file to append to.
/// </summary>
public sealed class ShimLog
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Stream? _fifo;
    private readonly string? _file;

    public ShimLog(string? fifoPath, bool debug)
    {
        Debug = debug;
        _file = Environment.GetEnvironmentVariable("WASMKUBE_SHIM_LOG") is { Length: > 0 } file ? file : null;
        if (fifoPath is not null && File.Exists(fifoPath))
        {
            try
            {
                // Read-write keeps the open from blocking when containerd is not reading.
                _fifo = new FileStream(fifoPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
            }
            catch (IOException)
            {
            }
        }

        new Thread(Drain) { IsBackground = true, Name = "shim-log" }.Start();
    }

    public bool Debug { get; }

    public void Write(string message) =>
        _lines.Writer.TryWrite($"time=\"{DateTime.UtcNow:O}\" level=info msg=\"{message.Replace("\"", "\\\"", StringComparison.Ordinal)}\" runtime=io.containerd.wasmkube.v1 pid={Environment.ProcessId}\n");

    private void Drain()
    {
        while (_lines.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (_lines.Reader.TryRead(out var line))
            {
                var bytes = Encoding.UTF8.GetBytes(line);
                try
                {
                    _fifo?.Write(bytes);
                    _fifo?.Flush();
                    if (_file is not null)
                    {
                        File.AppendAllText(_file, line);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
