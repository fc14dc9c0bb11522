using System.Net.Sockets;
using WasmKube.Cgroups;
using WasmKube.Shim.Events;
using WasmKube.Shim.Native;
using WasmKube.Shim.Runc;
using WasmKube.Shim.Tasks;
using WasmKube.Shim.Ttrpc;

namespace WasmKube.Shim.Bootstrap;

/// <summary>The long-lived shim: serves the Task API until containerd shuts down its last task.</summary>
public static class ShimDaemon
{
    public const int Backlog = 64;

    public static async Task<int> RunAsync(ShimOptions options)
    {
        // Processes runc leaves behind (container init, exec'd processes) are reparented here so their exit
        // status can be collected.
        Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        var log = new ShimLog(Path.Combine(Directory.GetCurrentDirectory(), "log"), options.Debug);
        await using var events = new EventPublisher(Environment.GetEnvironmentVariable("TTRPC_ADDRESS"), options.Namespace, log.Write);
        events.Start();
        var context = new ShimContext
        {
            Namespace = options.Namespace,
            Events = events,
            Runc = new RuncRunner(ShimPaths.RuncRoot(options.Address, options.Namespace), log.Write),
            Cgroups = CgroupHierarchy.Discover(),
            Executors = ShimPaths.Executors(),
            Contain = ShimPaths.Containment(),
            Records = ContainerRecordStore.FromEnvironment(),
            CacheDirectory = ShimPaths.CacheDirectory(),
            Log = log.Write,
        };
        var service = new TaskService(context);
        // The start action bound and listens on options.Socket, and handed it over at this descriptor.
        using var listener = new Socket(new SafeSocketHandle(PosixSpawn.HandedOverFd, ownsHandle: true));
        log.Write($"serving {options.Socket} for namespace {options.Namespace}");

        using var stop = new CancellationTokenSource();
        var server = new TtrpcServer(listener, service.HandleAsync, log.Write);
        var serving = server.ServeAsync(stop.Token);
        await service.ShutdownRequested;

        // Let the Shutdown reply reach containerd before the socket goes away.
        await Task.Delay(50);
        stop.Cancel();
        File.Delete(options.Socket);
        await serving;
        log.Write("shut down");
        return 0;
    }
}
