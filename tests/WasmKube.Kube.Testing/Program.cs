using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace WasmKube.Kube.Testing;

/// <summary>
/// Runs the test API server standalone so a developer can point kubectl at it:
/// <c>dotnet run --project tests/WasmKube.Kube.Testing -- --port 8080 [--http] [--manifest crds/x.yaml]... [--kubeconfig out]</c>
/// <c>[--tls-cert-file PEM --tls-private-key-file PEM] [--token TOKEN]</c> serve a given certificate (e.g. one signed by a
/// test CA) and require a given bearer token, so the server can stand in for kube-apiserver behind a launcher.
/// </summary>
internal static class Program
{
    static async Task<int> Main(string[] args)
    {
        var options = new TestApiServerOptions();
        var manifests = new List<string>();
        string? kubeconfigCopy = null;
        string? certificateFile = null;
        string? keyFile = null;
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
                case "--tls-cert-file" when i + 1 < args.Length:
                    certificateFile = args[++i];
                    break;
                case "--tls-private-key-file" when i + 1 < args.Length:
                    keyFile = args[++i];
                    break;
                case "--token" when i + 1 < args.Length:
                    options = options with { Token = args[++i] };
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'. Usage: --port N [--http] [--manifest FILE]... [--kubeconfig PATH] " +
                        "[--tls-cert-file PEM --tls-private-key-file PEM] [--token TOKEN]");
                    return 2;
            }
        }
        if ((certificateFile is null) != (keyFile is null))
        {
            await Console.Error.WriteLineAsync("--tls-cert-file and --tls-private-key-file go together: give both PEM files, or neither for a self-signed certificate");
            return 2;
        }
        if (certificateFile is not null)
        {
            options = options with { ServingCertificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile) };
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
