using System.Diagnostics;
using System.Globalization;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;
using WasmKube.Kube.Testing;
using WasmKube.Operator.Entities;

namespace WasmKube.Bench.Operator;

/// <summary>
/// Creates N WasmWorkloads on the test API server and times how long the operator, running as its own process, takes
/// until every workload has its Deployment, its Service and a Ready status; prints that and the operator's peak RSS.
/// The bench plays the deployment controller (the test server runs none). Figures are printed, not checked.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        return await RunAsync(count, workers);
    }

    private static async Task<int> RunAsync(int count, int workers)
    {
        await using var server = await TestApiServer.StartAsync(new TestApiServerOptions { EventHistoryLimit = 100_000, GarbageCollection = false });
        await server.ApplyFileAsync(Path.Combine(FindRoot(), "crds", "wasmworkloads.wasmkube.io.yaml"));
        using var client = new KubernetesClient(KubeConfigLoader.Load(server.KubeconfigPath));

        // The real operator executable (built next to the bench as a referenced project), with its own runtime settings.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("WASMKUBE_OPERATOR") ?? Path.Combine(AppContext.BaseDirectory, "wasmkube-operator"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["--kubeconfig", server.KubeconfigPath, "--health-probe-bind-address", "127.0.0.1:0",
                     "--metrics-bind-address", "0", "--max-concurrent-reconciles", workers.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }
        using var child = Process.Start(start)!;
        _ = child.StandardOutput.ReadToEndAsync();
        _ = child.StandardError.ReadToEndAsync();
        try
        {
            // Let the operator start and sync its (empty) caches, so the clock measures reconciling, not process start.
            await WaitForAsync(() => Task.FromResult(server.Requests.Count("watch", "wasmworkloads") > 0), TimeSpan.FromSeconds(60));

            using var stopWatching = new CancellationTokenSource();
            var watched = new Watched(
                new Informer<V1alpha1WasmWorkload>(client, "default"), new Informer<V1Deployment>(client, "default"), new Informer<V1Service>(client, "default"));
            // Play the deployment controller: a new Deployment is reported ready at once.
            watched.Deployments.Subscribe(change =>
            {
                if (change.Type != InformerEventType.Deleted && change.Object.Status?.ObservedGeneration != change.Object.Metadata.Generation)
                {
                    server.SetDeploymentReady("default", change.Object.Metadata.Name!);
                }
            });
            var watching = Task.WhenAll(
                watched.Workloads.RunAsync(stopWatching.Token), watched.Deployments.RunAsync(stopWatching.Token), watched.Services.RunAsync(stopWatching.Token));

            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
                await client.CreateAsync(new V1alpha1WasmWorkload
                {
                    Metadata = new V1ObjectMeta { Name = $"bench-{i}", Namespace = "default" },
                    Spec = new V1alpha1WasmWorkloadSpec
                    {
                        Image = "registry.example.com/hello-wasm:1.0",
                        Replicas = 1 + (i % 3),
                        Ports = [new WasmWorkloadPort { Name = "http", ContainerPort = 8080 }],
                        Env = [new V1EnvVar { Name = "INDEX", Value = i.ToString(CultureInfo.InvariantCulture) }],
                    },
                }, token));
            var created = clock.Elapsed;

            var consistent = await WaitForAsync(() => Task.FromResult(AllConsistent(watched, count)), TimeSpan.FromMinutes(5));
            var converged = clock.Elapsed;
            var peakRss = PeakRssBytes(child.Id);
            await stopWatching.CancelAsync();
            await watching;
            child.Refresh();
            var operatorCpu = child.TotalProcessorTime;
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;

            Console.WriteLine($"workloads:                  {count}");
            Console.WriteLine($"operator workers:           {workers}");
            Console.WriteLine($"created in:                 {created.TotalSeconds:F2} s");
            Console.WriteLine($"consistent after:           {(consistent ? $"{converged.TotalSeconds:F2} s" : "did not converge within 5 min")}  (target <= 10 s)");
            Console.WriteLine($"operator peak RSS:          {peakRss / (1024.0 * 1024):F1} MiB = {peakRss / 1e6:F1} MB  (target <= 100 MB)");
            Console.WriteLine($"CPU time:                   operator {operatorCpu.TotalSeconds:F1} s, API server + bench {benchCpu.TotalSeconds:F1} s");
            Console.WriteLine($"API requests:               {server.Requests.Count()} ({server.Requests.Writes} writes)");
            return consistent ? 0 : 1;
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Every workload has a Deployment and a Service and reports Ready for its current generation. Read from informers
    /// (one decode per change) rather than by listing, so watching costs the API server next to nothing.
    /// </summary>
    private static bool AllConsistent(Watched watched, int count)
    {
        var ready = 0;
        foreach (var workload in watched.Workloads.List())
        {
            var name = workload.Metadata.Name!;
            var condition = workload.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            if (watched.Deployments.Get("default", name) is not null && watched.Services.Get("default", name) is not null
                && condition?.Status == "True" && workload.Status!.ObservedGeneration == workload.Metadata.Generation)
            {
                ready++;
            }
        }
        return ready == count;
    }

    private sealed record Watched(Informer<V1alpha1WasmWorkload> Workloads, Informer<V1Deployment> Deployments, Informer<V1Service> Services);

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    /// <summary>VmHWM: the process's peak resident set, from procfs (Linux).</summary>
    private static long PeakRssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return -1;
    }

    private static string FindRoot()
    {
        for (var directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "WasmKube.sln")))
            {
                return directory;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
