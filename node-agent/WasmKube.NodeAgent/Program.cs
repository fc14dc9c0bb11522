using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WasmKube.Kube.Config;
using WasmKube.NodeAgent.Install;

namespace WasmKube.NodeAgent;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        NodeAgentOptions options;
        KubernetesClientConfiguration? kubernetes = null;
        try
        {
            var parsed = NodeAgentCommandLine.Parse(args);
            if (parsed is null)
            {
                Console.Write(NodeAgentCommandLine.HelpText);
                return 0;
            }

            options = parsed;
            if (!options.Standalone && !options.Rollback)
            {
                if (options.NodeName is null) throw new ArgumentException("the node name is unknown: pass --node-name or set NODE_NAME (the DaemonSet sets it from spec.nodeName)");
                kubernetes = KubernetesClientConfiguration.BuildDefault(options.Kubeconfig);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            Console.Error.WriteLine($"wasmkube-node-agent: {e.Message}");
            return 2;
        }

        using var app = NodeAgentHost.Build(options, kubernetes);
        if (options.Rollback)
        {
            try
            {
                await app.Services.GetRequiredService<NodeSetup>().RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is PayloadException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"wasmkube-node-agent: rollback failed: {e.Message}");
                return 1;
            }
        }

        if (options.Uninstall)
        {
            try
            {
                await app.Services.GetRequiredService<NodeSetup>().UninstallAsync(CancellationToken.None).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"wasmkube-node-agent: uninstall failed: {e.Message}");
                return 1;
            }
        }

        try
        {
            await app.RunAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The metrics endpoint could not bind: the message names the address.
            Console.Error.WriteLine($"wasmkube-node-agent: {e.Message}");
            return 1;
        }
        return 0;
    }
}
