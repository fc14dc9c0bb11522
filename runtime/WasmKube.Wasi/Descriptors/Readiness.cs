using WasmKube.Wasi.Native;

namespace WasmKube.Wasi.Descriptors;

/// <summary>Blocking waits that stay cancellable: poll(2) in short slices so a stopped guest never hangs in the host.</summary>
internal static unsafe class Readiness
{
    private const int SliceMilliseconds = 100;

    /// <summary>Waits until <paramref name="fd"/> is ready for <paramref name="events"/> (or errs / hangs up).</summary>
    public static void Wait(int fd, short events, CancellationToken cancellation)
    {
        var entry = new HostCalls.PollFd { Fd = fd, Events = events };
        while (true)
        {
            ThrowIfCancelled(cancellation);
            entry.Revents = 0;
            var ready = HostCalls.Poll(&entry, 1, SliceMilliseconds);
            if (ready != 0 && !(ready < 0 && HostCalls.LastError == HostCalls.EINTR)) return;
        }
    }

    /// <summary>A cancelled guest ends like an interrupted one: with a trap the embedder already handles.</summary>
    public static void ThrowIfCancelled(CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
            throw new WasiTrapException(WasiTrapKind.Interrupted, "interrupted: the WASI context was cancelled while the guest waited");
    }
}
