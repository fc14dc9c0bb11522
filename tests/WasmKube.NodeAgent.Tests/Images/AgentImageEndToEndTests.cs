using System.Diagnostics;
using System.Globalization;
using WasmKube.Cgroups;
using WasmKube.Contracts;
using WasmKube.Images;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing;
using WasmKube.NodeAgent.Kubernetes;
using WasmKube.NodeAgent.Tests.EndToEnd;
using WasmKube.Testing.Cri;

namespace WasmKube.NodeAgent.Tests.Images;

/// <summary>
/// The agent image run the way its DaemonSet runs it, on a node the test makes: containerd under an init of its own
/// (no systemd; <see cref="PrivateContainerd.StartAsNodeAsync"/>), the agent container privileged, in the node's PID
/// namespace (pid 1 is the node's init, as containerd sees it), on the host network, with a folder standing for the host's root at /host. That folder holds what the
/// agent may touch: containerd's folder (its config, socket, the shim's records, the install root) and the node's
/// cgroup mounts. The agent installs the payload it carries, registers the handler, restarts containerd through the
/// node's restart command, probes, and labels the node on the test API server; then kubelet's part, over CRI, runs
/// wasm pods through the installed shim, and the agent's metrics, read from inside its container (in a cgroup
/// namespace of its own, not the node's), show their CPU.
/// </summary>
public sealed class AgentImageEndToEndTests : IAsyncLifetime
{
    private const string Node = "node-1";
    private readonly TempDirectory _temp = new();
    private readonly List<string> _mounts = [];
    private readonly List<string> _cgroups = [];
    private Process? _cgroupNamespaceHolder;
    private PrivateContainerd _containerd = null!;
    private TestApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _containerd = await PrivateContainerd.CreateForCriAsync();
        _server = await TestApiServer.StartAsync();
        _client = new KubernetesClient(KubeConfigLoader.Load(_server.KubeconfigPath));
        await _client.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = Node } });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        foreach (var mount in Enumerable.Reverse(_mounts)) await RunAsync("umount", "-R", "-l", mount);
        await _containerd.DisposeAsync();
        if (_cgroupNamespaceHolder is { } holder)
        {
            holder.Kill();
            await holder.WaitForExitAsync();
            holder.Dispose();
        }

        foreach (var cgroup in _cgroups)
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(cgroup); attempt++)
            {
                try
                {
                    Directory.Delete(cgroup);
                }
                catch (IOException)
                {
                    await Task.Delay(100); // the killed process leaves the cgroup asynchronously
                }
            }
        }

        _temp.Dispose();
    }

    [ImageFact]
    public async Task The_agent_container_prepares_the_node_and_wasm_pods_run_through_the_shim_it_installed()
    {
        var root = _containerd.Root;
        var host = await HostRootAsync();
        var cgroupNamespace = await CgroupNamespaceAsync();
        await _containerd.StartAsNodeAsync();
        File.Copy(_server.KubeconfigPath, Path.Combine(root, "kubeconfig"));
        var import = await _containerd.CtrAsync($"image import {ImageArchives.Agent}");
        Assert.True(import.ExitCode == 0, import.Output);
        var metricsPort = LoopbackPort.Free();

        var agent = await _containerd.CtrAsync(string.Join(' ',
            "run -d --privileged --net-host", "--with-ns pid:/proc/1/ns/pid", $"--with-ns cgroup:{cgroupNamespace}",
            $"--mount type=bind,src={host},dst=/host,options=rbind:rw", $"--log-uri file://{root}/agent.log",
            ImageArchives.AgentImage, "wasmkube-node-agent", "/usr/local/bin/wasmkube-node-agent",
            $"--containerd-config {root}/config.toml --containerd-socket {root}/c.sock",
            $"--install-dir {root}/opt/wasmkube --config-dir {root}/opt/wasmkube/etc --state-dir {_containerd.StateDirectory}",
            $"--restart-command {_containerd.RestartCommand} --kubeconfig /host{root}/kubeconfig --node-name {Node}",
            $"--listen 127.0.0.1:{metricsPort}"));
        Assert.True(agent.ExitCode == 0, agent.Output);

        var label = await WaitForLabelAsync(TimeSpan.FromMinutes(4));
        var agentCgroups = AgentProcessCgroupNamespace();
        Assert.Equal(new FileInfo($"/proc/{_cgroupNamespaceHolder!.Id}/ns/cgroup").LinkTarget, agentCgroups);
        Assert.NotEqual(new FileInfo("/proc/self/ns/cgroup").LinkTarget, agentCgroups);
        var log = File.Exists(Path.Combine(root, "agent.log")) ? await File.ReadAllTextAsync(Path.Combine(root, "agent.log")) : "";
        Assert.True(label == "ready", $"node label {label ?? "(none)"}; agent log:\n{log}");

        // The payload went to a version folder behind the current link, and containerd was restarted onto it.
        var current = new FileInfo(Path.Combine(root, "opt", "wasmkube", "current")).LinkTarget;
        Assert.StartsWith(ImageArchives.Version + "-", current, StringComparison.Ordinal);
        Assert.Contains($"runtime_path = \"{root}/opt/wasmkube/current/containerd-shim-wasmkube-v1\"", await File.ReadAllTextAsync(_containerd.ConfigPath), StringComparison.Ordinal);
        Assert.True(File.ReadAllLines(Path.Combine(root, "containerd.log")).Count(l => l.Contains("containerd successfully booted", StringComparison.Ordinal)) >= 2,
            "containerd was not restarted by the agent");

        await _containerd.ImportSandboxImageAsync();
        using var cri = new CriClient(_containerd.Socket);
        await using var pods = new CriPods(cri, "wasmkube", _containerd.PodLogDirectory);
        var hello = await ImportGuestImageAsync(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Guests", "hello.wat"), "hello");
        var (helloPod, helloConfig) = await pods.RunPodAsync("hello");
        var helloStatus = await pods.WaitForExitAsync(await pods.CreateAndStartAsync(helloPod, helloConfig, "hello", hello));
        var helloLog = await CriPods.ReadLogAsync(helloStatus.LogPath, "hello from wasm");
        Assert.True(helloStatus.ExitCode == 0, $"exit {helloStatus.ExitCode}: {helloLog}");
        Assert.Contains(" stdout F hello from wasm", helloLog, StringComparison.Ordinal);
        // The test network has one pod interface: the next pod gets it once this one is gone.
        await pods.StopAndRemovePodAsync(helloPod);

        // A busy guest's CPU, as the agent in its container reads it from the node's cgroups.
        var busy = await ImportGuestImageAsync(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Guests", "busy.wat"), "busy");
        var (busyPod, busyConfig) = await pods.RunPodAsync("busy");
        await pods.CreateAndStartAsync(busyPod, busyConfig, "busy", busy);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        double? cpu = null;
        var metrics = "";
        while (DateTime.UtcNow < deadline && cpu is not > 0.1)
        {
            await Task.Delay(500);
            metrics = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
            cpu = Sample(metrics, "wasmkube_container_cpu_usage_seconds_total");
        }

        Assert.True(cpu > 0.1, $"the agent reported no CPU for the busy guest:\n{metrics}");
        Assert.True(Sample(metrics, "wasmkube_container_memory_working_set_bytes") > 0, metrics);
        Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/readyz"));
    }

    /// <summary>
    /// The folder standing for the host's root: containerd's folder at its own path, and the node's cgroup mounts at
    /// /sys/fs/cgroup, both private mounts so nothing mounted later leaks between the two trees.
    /// </summary>
    private async Task<string> HostRootAsync()
    {
        var host = _temp.Combine("host");
        foreach (var (source, recursive) in new[] { (_containerd.Root, false), ("/sys/fs/cgroup", true) })
        {
            var target = host + source;
            Directory.CreateDirectory(target);
            await RunAsync("mount", recursive ? "--rbind" : "--bind", source, target);
            _mounts.Add(target);
            await RunAsync("mount", recursive ? "--make-rprivate" : "--make-private", target);
        }

        return host;
    }

    /// <summary>
    /// A cgroup namespace rooted at a cgroup of its own, for the agent's container: its /sys/fs/cgroup then shows
    /// that cgroup only, as a pod's does. Held by a sleeping process, and bound to a file the node's containerd sees.
    /// </summary>
    private async Task<string> CgroupNamespaceAsync()
    {
        var hierarchy = CgroupHierarchy.Discover();
        var name = $"wasmkube-agent-{Guid.NewGuid():N}"[..23];
        var mounts = hierarchy.IsV1 ? new[] { "cpu", "cpuacct", "memory" }.Select(c => hierarchy.V1Controllers[c]).Distinct() : [hierarchy.Unified!];
        foreach (var mount in mounts)
        {
            _cgroups.Add(Path.Combine(mount, name));
            Directory.CreateDirectory(_cgroups[^1]);
        }

        var join = string.Concat(_cgroups.Select(c => $"echo $$ > {c}/cgroup.procs; "));
        _cgroupNamespaceHolder = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", join + "exec unshare --cgroup sleep 600" } })!;
        var own = new FileInfo("/proc/self/ns/cgroup").LinkTarget;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (new FileInfo($"/proc/{_cgroupNamespaceHolder.Id}/ns/cgroup").LinkTarget == own && DateTime.UtcNow < deadline) await Task.Delay(50);

        var file = Path.Combine(_containerd.Root, "agent-cgroupns");
        await File.WriteAllTextAsync(file, "");
        await RunAsync("mount", "--bind", $"/proc/{_cgroupNamespaceHolder.Id}/ns/cgroup", file);
        _mounts.Add(file);
        return file;
    }

    /// <summary>The cgroup namespace of the running agent, found by its executable among the machine's processes.</summary>
    private static string? AgentProcessCgroupNamespace()
    {
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (new FileInfo(Path.Combine(process, "exe")).LinkTarget == "/usr/local/bin/wasmkube-node-agent")
                    return new FileInfo(Path.Combine(process, "ns", "cgroup")).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or a kernel thread.
            }
        }

        return null;
    }

    private async Task<string?> WaitForLabelAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? label = null;
        while (DateTime.UtcNow < deadline && label is not ("ready" or "failed"))
        {
            await Task.Delay(500);
            var node = await _client.GetAsync<V1Node>(null, Node);
            label = node?.Metadata.Labels is { } labels && labels.TryGetValue(RuntimeNames.NodeLabel, out var value) ? value : null;
        }

        return label;
    }

    private async Task<string> ImportGuestImageAsync(string wat, string name)
    {
        var module = _temp.Combine(name + ".wasm");
        await RunAsync("wat2wasm", wat, "-o", module);
        var archive = _temp.Combine(name + ".tar");
        var options = new ImageBuildOptions
        {
            ModulePath = module,
            ModuleImagePath = $"/{name}.wasm",
            Reference = ImageReference.Parse($"agent-image-{name}:1"),
            Platform = ImagePlatform.LinuxAmd64,
        };
        await using (var file = File.Create(archive))
        {
            OciImageBuilder.Build(options, file);
        }

        var import = await _containerd.CtrAsync($"--namespace k8s.io image import {archive}");
        Assert.True(import.ExitCode == 0, import.Output);
        return options.Reference.ToString();
    }

    /// <summary>The value of the busy pod's sample of a metric family.</summary>
    private static double? Sample(string exposition, string metric)
    {
        var line = exposition.Split('\n').FirstOrDefault(l =>
            l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains("namespace=\"default\",pod=\"busy\",container=\"busy\"", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
    }
}
