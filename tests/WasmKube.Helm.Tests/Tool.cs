using System.Diagnostics;

namespace WasmKube.Helm.Tests;

/// <summary>Runs helm or kubectl from .tools/ with its own config and cache folders, so tests share no state.</summary>
internal sealed class Tool : IDisposable
{
    private readonly string _binary;
    private readonly string _home = Directory.CreateTempSubdirectory("wasmkube-helm-tests-").FullName;

    private Tool(string name, string? kubeconfig)
    {
        _binary = RepositoryPaths.Tool(name);
        Kubeconfig = kubeconfig;
    }

    public string? Kubeconfig { get; }

    public static Tool Helm(string? kubeconfig = null) => new("helm", kubeconfig);

    public static Tool Kubectl(string kubeconfig) => new("kubectl", kubeconfig);

    public sealed record Result(int ExitCode, string Stdout, string Stderr, string Command)
    {
        public string Ok()
        {
            Assert.True(ExitCode == 0, $"{Command} failed ({ExitCode}):\n{Stderr}\n{Stdout}");
            return Stdout;
        }
    }

    public async Task<Result> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("KUBECONFIG");
        if (Kubeconfig is not null)
        {
            start.Environment["KUBECONFIG"] = Kubeconfig;
        }
        // helm keeps its registry, repository and plugin state under these; kubectl its discovery cache under HOME.
        start.Environment["HOME"] = _home;
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(_home, "config");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(_home, "cache");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(_home, "data");
        var command = $"{Path.GetFileName(_binary)} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }
            using var guard = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(guard.Token);
            return new Result(process.ExitCode, await stdout, await stderr, command);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public Task<Result> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
