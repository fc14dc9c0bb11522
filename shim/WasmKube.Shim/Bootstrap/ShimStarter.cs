using System.Diagnostics;
using System.Net.Sockets;
using WasmKube.Shim.Oci;

namespace WasmKube.Shim.Bootstrap;

/// <summary>
/// The "start" action: one shim per pod. Finds or launches the daemon for the task's group and prints only its
/// address. The daemon is detached with stdio on /dev/null (containerd waits for its pipe to close) in its own
/// session, and creates its own socket (Process.Start cannot pass a listening fd).
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
            Launch(options with { Socket = socket });
            var deadline = Stopwatch.StartNew();
            while (!await AnswersAsync(socket, cancellationToken))
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(20))
                {
                    await Console.Error.WriteLineAsync($"the wasmkube shim daemon did not listen on {socket} within 20s; see the shim log");
                    return 1;
                }

                // A new daemon listens within milliseconds; containerd waits on this for every first task of a pod.
                await Task.Delay(2, cancellationToken);
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

    private static void Launch(ShimOptions options)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where the shim binary is");
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("setsid \"$@\" </dev/null >/dev/null 2>&1 &");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Started as "dotnet containerd-shim-wasmkube-v1.dll" (a framework-dependent build): start the daemon alike.
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, typeof(ShimStarter).Assembly.GetName().Name + ".dll"));
        }

        foreach (var argument in options.ToArguments())
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("-socket");
        info.ArgumentList.Add(options.Socket);
        info.ArgumentList.Add("serve");
        info.RedirectStandardInput = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
        process.StandardInput.Close();
        process.WaitForExit();
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
