using System.Diagnostics;

namespace WasmKube.Kube.Testing.Tests;

/// <summary>Runs the real kubectl against a server (the fixture, or any kubeconfig) with a private discovery cache.</summary>
internal sealed class Kubectl : IDisposable
{
    const string Binary = "/usr/bin/kubectl";
    readonly string _kubeconfigPath;
    readonly string _cacheDir = Directory.CreateTempSubdirectory("wasmkube-kubectl-cache-").FullName;

    public Kubectl(TestApiServer server)
        : this(server.KubeconfigPath)
    {
    }

    public Kubectl(string kubeconfigPath)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: these tests need kubectl 1.32 (see /work/shared/docs/environment.md)");
        }
        _kubeconfigPath = kubeconfigPath;
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Ok()
        {
            Assert.True(ExitCode == 0, $"kubectl failed ({ExitCode}): {Stderr}\n{Stdout}");
            return Stdout;
        }
    }

    public async Task<Result> RunWithInputAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args.Concat(["--kubeconfig", _kubeconfigPath, "--cache-dir", _cacheDir]))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(guard.Token);
            return new Result(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public Task<Result> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public void Dispose() => Directory.Delete(_cacheDir, recursive: true);
}
