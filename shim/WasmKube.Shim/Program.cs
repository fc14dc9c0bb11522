using WasmKube.Shim.Bootstrap;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace WasmKube.Shim;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args is [Containment.ContainerInit.Command])
        {
            return Containment.ContainerInit.Run();
        }

        ShimOptions options;
        try
        {
            options = ShimOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        switch (options.Action)
        {
            case "start":
                return await ShimStarter.RunAsync(options, Console.Out, CancellationToken.None);
            case "delete":
                await using (var stdout = Console.OpenStandardOutput())
                {
                    return await ShimDeleter.RunAsync(options, stdout, CancellationToken.None);
                }

            case "serve":
                return await ShimDaemon.RunAsync(options);
            case "version":
                Console.WriteLine($"containerd-shim-wasmkube-v1 {typeof(Program).Assembly.GetName().Version}");
                return 0;
            default:
                await Console.Error.WriteLineAsync(
                    "usage: containerd-shim-wasmkube-v1 -namespace NS -address ADDR -publish-binary BIN -id ID [-bundle DIR] start|delete\n" +
                    "This program is started by containerd for runtime io.containerd.wasmkube.v1.");
                return 2;
        }
    }
}
