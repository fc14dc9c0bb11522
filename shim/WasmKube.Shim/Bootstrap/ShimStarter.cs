using System.Net.Sockets;
using WasmKube.Shim.Native;
using WasmKube.Shim.Oci;

namespace WasmKube.Shim.Bootstrap;

/// <summary>
/// The "start" action: one shim per pod. Finds or launches the daemon for the task's group and prints only its
/// address. A new daemon is detached with stdio on /dev/null (containerd waits for its pipe to close) in its own
/// session, and serves the listening socket this process hands it.
/// </summary>
public static class ShimStarter
{
    public static async Task<int> RunAsync(ShimOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var bundle = Directory.GetCurrentDirectory();
        DiscardRuntimeOptions();
        var group = options.Id;
        try
        {
            group = OciSpec.Load(bundle).GroupId(options.Id);
        }
        catch (InvalidDataException)
        {
        }

        var socket = ShimPaths.Socket(options.Address, options.Namespace, group);
        var address = "unix://" + socket;
        if (!await AnswersAsync(socket, cancellationToken))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
            File.Delete(socket);
            // As containerd's runc shim does: the socket listens before the daemon exists, so containerd's first call
            // waits in its backlog while the daemon starts, and nothing here has to poll for the daemon.
            var listener = UnixListener.Listen(socket, ShimDaemon.Backlog);
            try
            {
                Launch(options with { Socket = socket }, listener);
            }
            catch
            {
                File.Delete(socket);
                throw;
            }
            finally
            {
                UnixListener.Close(listener);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(bundle, "address"), address, cancellationToken);
        await output.WriteAsync(address);
        return 0;
    }

    private static void DiscardRuntimeOptions()
    {
        // containerd writes the runtime options (a protobuf Any) to stdin; nothing in them applies to this shim.
        if (Console.IsInputRedirected)
        {
            using var stdin = Console.OpenStandardInput();
            stdin.CopyTo(Stream.Null);
        }
    }

    private static void Launch(ShimOptions options, int listener)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where the shim binary is");
        var argv = new List<string> { self };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Started as "dotnet containerd-shim-wasmkube-v1.dll" (a framework-dependent build): start the daemon alike.
            argv.Add(Path.Combine(AppContext.BaseDirectory, typeof(ShimStarter).Assembly.GetName().Name + ".dll"));
        }

        argv.AddRange(options.ToArguments());
        argv.AddRange(["-socket", options.Socket, "serve"]);
        PosixSpawn.StartDetached(argv, listener);
    }

    internal static async Task<bool> AnswersAsync(string socketPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
