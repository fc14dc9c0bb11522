using System.Net;
using System.Net.Sockets;

namespace WasmKube.Kube.Testing;

/// <summary>Ports for child processes that must be told theirs on the command line.</summary>
public static class LoopbackPort
{
    /// <summary>A loopback port that is free now; the child binds it moments later.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
