using System.Globalization;
using System.Runtime.InteropServices;

namespace WasmKube.Kube.Testing;

/// <summary>
/// Runs the test API server standalone so a developer can point kubectl at it:
/// <c>dotnet run --project tests/WasmKube.Kube.Testing -- --port 8080 [--http] [--manifest crds/x.yaml]... [--kubeconfig out]</c>
/// </summary>
internal static class Program
{
    static async Task<int> Main(string[] args)
    {
        var options = new TestApiServerOptions();
        var manifests = new List<string>();
        string? kubeconfigCopy = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var port):
                    options = options with { Port = port };
                    i++;
                    break;
                case "--http":
                    options = options with { UseHttps = false };
                    break;
                case "--manifest" when i + 1 < args.Length:
                    manifests.Add(args[++i]);
                    break;
                case "--kubeconfig" when i + 1 < args.Length:
                    kubeconfigCopy = args[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'. Usage: --port N [--http] [--manifest FILE]... [--kubeconfig PATH]");
                    return 2;
            }
        }
        options = options with { ManifestFiles = manifests };
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using var server = await TestApiServer.StartAsync(options, stop.Token);
        var kubeconfig = server.KubeconfigPath;
        if (kubeconfigCopy is not null)
        {
            File.Copy(server.KubeconfigPath, kubeconfigCopy, overwrite: true);
            kubeconfig = kubeconfigCopy;
        }
        Console.WriteLine($"listening on {server.BaseUrl}");
        Console.WriteLine($"export KUBECONFIG={kubeconfig}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGINT or SIGTERM.
        }
        return 0;
    }
}
