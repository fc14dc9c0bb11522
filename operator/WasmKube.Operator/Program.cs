using Microsoft.Extensions.Hosting;
using WasmKube.Kube.Config;

namespace WasmKube.Operator;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        OperatorCommandLine options;
        KubernetesClientConfiguration configuration;
        try
        {
            options = OperatorCommandLine.Parse(args);
            if (options.Help)
            {
                Console.Write(OperatorCommandLine.HelpText);
                return 0;
            }
            configuration = options.Kubeconfig is not null
                ? KubeConfigLoader.Load(options.Kubeconfig, options.Context)
                : KubernetesClientConfiguration.BuildDefault(context: options.Context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            Console.Error.WriteLine($"wasmkube-operator: {e.Message}");
            return 2;
        }
        using var host = OperatorHost.Build(options, configuration);
        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // An endpoint could not bind: the message names the address.
            Console.Error.WriteLine($"wasmkube-operator: {e.Message}");
            return 1;
        }
        return 0;
    }
}
