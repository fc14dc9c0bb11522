using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using WasmKube.Images;
using WasmKube.Shim.Bootstrap;
using WasmKube.Testing.Cri;

namespace WasmKube.Shim.Tests.Infrastructure;

/// <summary>
/// A private containerd 1.6 for one test class: own root, state, sockets and config, with the wasmkube shim on its
/// PATH and registered as CRI runtime handler "wasmkube". Everything it started is stopped by pid and every mount
/// under its directory is unmounted on dispose. The shim and executors are the build's; <see cref="NodePayloadContainerd"/>
/// uses the node payload as build.sh publishes it instead, with .NET hidden.
/// </summary>
public class ContainerdInstance : IAsyncLifetime
{
    public const string Runtime = "io.containerd.wasmkube.v1";
    private Process? _containerd;
    private CniTestNetwork? _network;

    public string Root { get; } = Path.Combine("/tmp", "wks-" + Guid.NewGuid().ToString("N")[..10]);

    public string Socket => Path.Combine(Root, "c.sock");

    public string GuestDirectory => Path.Combine(Root, "guests");

    public string RecordDirectory => Path.Combine(Root, "records");

    public string ShimLog => Path.Combine(Root, "shim.log");

    public string LogDirectory => Path.Combine(Root, "pod-logs");

    /// <summary>containerd's per-registry hosts.toml directory (CRI reads it at every pull).</summary>
    public string RegistryHostsDirectory => Path.Combine(Root, "certs.d");

    /// <summary>Lets CRI pull from a registry that serves plain HTTP, as hosts.toml of that registry says.</summary>
    public async Task AllowPlainHttpRegistryAsync(string host)
    {
        var directory = Path.Combine(RegistryHostsDirectory, host);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "hosts.toml"), $$"""
            server = "http://{{host}}"
            [host."http://{{host}}"]
              capabilities = ["pull", "resolve"]
            """);
    }

    public string Guest(string name) => Path.Combine(GuestDirectory, name + ".wasm");

    public static string PayloadDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "publish", "shim");

    /// <summary>
    /// The shim and the executor of each engine, from the node payload as build.sh publishes it: contained executors
    /// run in images without .NET, so only the shipped NativeAOT and self-contained programs can run there.
    /// </summary>
    protected static string Program(string name)
    {
        // The wasmkube engine's executor is self-contained, in a folder of its own (Engines.ExecutorPrograms in shim/WasmKube.Contracts).
        var path = Path.Combine(PayloadDirectory, name == "wasmkube-executor-cil" ? "cil" : "", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run ./build.sh first, which publishes the node payload");
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));

    /// <summary>The executor program of each engine's environment variable (ShimPaths.Executor).</summary>
    protected virtual IReadOnlyDictionary<string, string> Executors => new Dictionary<string, string>
    {
        ["WASMKUBE_EXECUTOR"] = Program("wasmkube-executor"),
        ["WASMKUBE_EXECUTOR_CIL"] = Program("wasmkube-executor-cil"),
    };

    /// <summary>The command that starts containerd, given the arguments after <c>sh -c</c>.</summary>
    protected virtual string ContainerdCommand => "exec containerd --config \"$1\" >>\"$2\" 2>&1 </dev/null";

    /// <summary>The program that runs <see cref="ContainerdCommand"/> (a shell, possibly in namespaces of its own).</summary>
    protected virtual IReadOnlyList<string> ContainerdLauncher => ["/bin/sh"];

    /// <summary>The containerd process (running while the fixture is).</summary>
    public int ContainerdPid => _containerd?.Id ?? throw new InvalidOperationException("containerd is not running");

    /// <summary>Where the build put the shim and executor apphosts (artifacts layout: bin/PROJECT/CONFIG/).</summary>
    internal static string BuildOutput(string project, string program)
    {
        var testOutput = AppContext.BaseDirectory.TrimEnd('/');
        var configuration = Path.GetFileName(testOutput);
        var path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(testOutput))!, project, configuration, program);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{program} was not built at {path}");
    }

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("the shim end-to-end tests need root (they run containerd, runc, mounts and cgroups)");
        }

        Directory.CreateDirectory(Root);
        var bin = Path.Combine(Root, "bin");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "containerd-shim-wasmkube-v1"), Program("containerd-shim-wasmkube-v1"));
        _network = await CniTestNetwork.CreateAsync(Path.Combine(Root, "cni"), Path.GetFileName(Root)[4..12]);
        await File.WriteAllTextAsync(Path.Combine(Root, "config.toml"), $$"""
            version = 2
            root = "{{Root}}/root"
            state = "{{Root}}/state"
            disabled_plugins = ["io.containerd.internal.v1.tracing", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
            [grpc]
              address = "{{Socket}}"
            [plugins."io.containerd.grpc.v1.cri"]
              sandbox_image = "{{SandboxImage.Reference}}"
              [plugins."io.containerd.grpc.v1.cri".registry]
                config_path = "{{RegistryHostsDirectory}}"
              [plugins."io.containerd.grpc.v1.cri".cni]
                bin_dir = "{{CniTestNetwork.PluginDirectory}}"
                conf_dir = "{{_network.ConfDirectory}}"
              [plugins."io.containerd.grpc.v1.cri".containerd]
                snapshotter = "overlayfs"
                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                  runtime_type = "io.containerd.runc.v2"
                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.wasmkube]
                  runtime_type = "{{Runtime}}"
                  pod_annotations = ["wasmkube.io/*"]
            """);
        await TestGuests.BuildAsync(GuestDirectory);
        await StartAsync();
    }

    private async Task StartAsync()
    {
        // containerd 1.6 looks for a shim binary in its working directory before PATH (runtime/v2/shim BinaryPath):
        // the test's output folder holds a framework-dependent copy of the shim, so start containerd elsewhere.
        var info = new ProcessStartInfo(ContainerdLauncher[0]) { UseShellExecute = false, WorkingDirectory = Root };
        foreach (var argument in ContainerdLauncher.Skip(1)) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ContainerdCommand);
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(Path.Combine(Root, "config.toml"));
        info.ArgumentList.Add(Path.Combine(Root, "containerd.log"));
        info.Environment["PATH"] = Path.Combine(Root, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        foreach (var (variable, program) in Executors) info.Environment[variable] = program;
        info.Environment["WASMKUBE_STATE_DIR"] = RecordDirectory;
        info.Environment["WASMKUBE_CACHE_DIR"] = Path.Combine(Root, "cache");
        info.Environment["WASMKUBE_SHIM_LOG"] = ShimLog;
        _containerd = Process.Start(info)!;
        var deadline = Stopwatch.StartNew();
        while ((await Ctr("version")).ExitCode != 0)
        {
            if (_containerd.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("containerd did not start: " + await File.ReadAllTextAsync(Path.Combine(Root, "containerd.log")));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops containerd (SIGTERM; shims keep running, as on a node) and starts it again with the same state.</summary>
    public async Task RestartAsync()
    {
        await StopContainerdAsync();
        await StartAsync();
    }

    private async Task StopContainerdAsync()
    {
        if (_containerd is { HasExited: false } process)
        {
            kill(process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
    }

    public Task<CommandResult> Ctr(params string[] arguments) => CtrIn("default", arguments);

    public Task<CommandResult> CtrIn(string ns, params string[] arguments) =>
        Commands.RunAsync("ctr", ["-a", Socket, "-n", ns, .. arguments], TimeSpan.FromSeconds(90));

    /// <summary>Builds an image with the image builder and imports it with ctr.</summary>
    public async Task<string> ImportImageAsync(string ns, ImageBuildOptions options)
    {
        var archive = Path.Combine(Root, "images", Guid.NewGuid().ToString("N") + ".tar");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        await using (var file = File.Create(archive))
        {
            OciImageBuilder.Build(options, file);
        }

        var result = await CtrIn(ns, "image", "import", archive);
        Assert.True(result.ExitCode == 0, $"ctr image import failed: {result}");
        return options.Reference.ToString();
    }

    public Task<string> ImportWasmImageAsync(string ns, string guest, string name, IReadOnlyList<string>? args = null, IReadOnlyList<string>? env = null) =>
        ImportImageAsync(ns, new ImageBuildOptions
        {
            ModulePath = Guest(guest),
            ModuleImagePath = $"/{guest}.wasm",
            Reference = ImageReference.Parse(name),
            Platform = ImagePlatform.LinuxAmd64,
            Args = args ?? [],
            Env = env ?? [],
        });

    /// <summary>busybox-static as a native image; with <paramref name="args"/> as its command.</summary>
    public Task<string> ImportBusyboxImageAsync(string ns, string name, params string[] args) =>
        ImportImageAsync(ns, new ImageBuildOptions
        {
            ModulePath = "/bin/busybox",
            ModuleImagePath = "/bin/busybox",
            Reference = ImageReference.Parse(name),
            Platform = ImagePlatform.LinuxAmd64,
            RequireWasm = false,
            Args = args,
        });

    public async Task DisposeAsync()
    {
        foreach (var ns in new[] { "default", "k8s.io" })
        {
            var tasks = await CtrIn(ns, "task", "ls", "-q");
            foreach (var id in Lines(tasks.Stdout))
            {
                await CtrIn(ns, "task", "kill", "-s", "KILL", id);
                await CtrIn(ns, "task", "delete", "-f", id);
            }

            foreach (var id in Lines((await CtrIn(ns, "container", "ls", "-q")).Stdout))
            {
                await CtrIn(ns, "container", "rm", id);
            }
        }

        await StopContainerdAsync();
        KillLeftovers();
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }

        UnmountEverythingUnder(Root);
        foreach (var directory in new[] { Root, Path.GetDirectoryName(ShimPaths.RuncRoot(Socket, "default"))! })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Shims and executors of this instance that outlived their tasks, found by their arguments, killed by pid.</summary>
    private void KillLeftovers()
    {
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (cmdline.Contains(Root, StringComparison.Ordinal))
                {
                    kill(pid, 9);
                }
            }
            catch (IOException)
            {
            }
        }

        // Records are RECORDS/NAMESPACE/ID.json; ID.engine.json beside them links into the executor's own folder.
        var records = Directory.Exists(RecordDirectory)
            ? Directory.GetDirectories(RecordDirectory).SelectMany(ns => Directory.GetFiles(ns, "*.json")).Where(f => !f.EndsWith(".engine.json", StringComparison.Ordinal))
            : [];
        foreach (var record in records)
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(record));
                if (doc.RootElement.TryGetProperty("pid", out var pid) && pid.GetInt32() > 0)
                {
                    kill(pid.GetInt32(), 9);
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Removed meanwhile, or half-written when the test ended: nothing to kill.
            }
        }
    }

    private static void UnmountEverythingUnder(string root)
    {
        var mounts = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point.StartsWith(root + "/", StringComparison.Ordinal))
            .OrderByDescending(point => point.Length)
            .ToList();
        foreach (var point in mounts)
        {
            umount2(point, 2);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int umount2(string target, int flags);
}
