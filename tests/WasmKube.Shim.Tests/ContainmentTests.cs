using System.Diagnostics;
using System.Text.Json;
using WasmKube.Images;
using WasmKube.Shim.Tests.Infrastructure;
using WasmKube.Testing.Cri;

namespace WasmKube.Shim.Tests;

/// <summary>
/// The executor is contained like a runc container of the same spec. Each check is made from the host on the running
/// processes (/proc/PID/status, /proc/PID/ns/*, /proc/PID/root), and compared with what runc makes of the same
/// security context for a native container in the same pod.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class ContainmentTests(EscapeProbeContainerd containerd) : IClassFixture<EscapeProbeContainerd>, IAsyncLifetime
{
    private const string Ns = "k8s.io";

    /// <summary>The /proc/PID/status fields that say what a process may do.</summary>
    private static readonly string[] PrivilegeFields = ["Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"];

    private CriSession _session = null!;

    public async Task InitializeAsync()
    {
        _session = await CriSession.StartAsync(containerd);
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
    }

    public static TheoryData<string> SecurityContexts => ["default", "runAsUser", "dropAll", "runtimeDefaultSeccomp", "addCapability"];

    private static LinuxContainerSecurityContext? SecurityContext(string name) => name switch
    {
        "default" => null,
        "runAsUser" => new LinuxContainerSecurityContext
        {
            RunAsUser = new Int64Value { Value = 1000 },
            RunAsGroup = new Int64Value { Value = 3000 },
            SupplementalGroups = { 4000 },
        },
        "dropAll" => new LinuxContainerSecurityContext { Capabilities = new Capability { DropCapabilities = { "ALL" } } },
        "runtimeDefaultSeccomp" => new LinuxContainerSecurityContext
        {
            Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
            NoNewPrivs = true,
        },
        "addCapability" => new LinuxContainerSecurityContext { Capabilities = new Capability { AddCapabilities = { "NET_ADMIN" }, DropCapabilities = { "CHOWN" } } },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(SecurityContexts))]
    public async Task Executor_has_the_user_capabilities_and_filters_runc_gives_the_same_security_context(string name)
    {
        var spin = await containerd.ImportWasmImageAsync(Ns, "spin", "containment-spin:1");
        var busybox = await containerd.ImportBusyboxImageAsync(Ns, "containment-busybox:1", "sleep", "600");
        var (podId, podConfig) = await _session.Pods.RunPodAsync("containment-" + name.ToLowerInvariant());
        var wasmId = await _session.Pods.CreateAndStartAsync(podId, podConfig, "wasm", spin, securityContext: SecurityContext(name));
        var nativeId = await _session.Pods.CreateAndStartAsync(podId, podConfig, "native", busybox, securityContext: SecurityContext(name));

        var executor = await RunningPidAsync(wasmId);
        var native = await RunningPidAsync(nativeId);
        var pause = await RunningPidAsync(podId);
        // Started is not exec'd: runc's init keeps its permitted capabilities until it execs the container's program.
        await ExecutedAsync(native, "busybox");
        await ExecutedAsync(executor, "wasmkube-execut");
        var executorStatus = Status(executor);
        var nativeStatus = Status(native);
        foreach (var field in PrivilegeFields)
        {
            Assert.True(nativeStatus[field] == executorStatus[field],
                $"{field}: the executor has \"{executorStatus[field]}\", runc gave the native container \"{nativeStatus[field]}\"");
        }

        switch (name)
        {
            case "default":
                Assert.Equal("0\t0\t0\t0", executorStatus["Uid"]);
                Assert.NotEqual(0UL, Convert.ToUInt64(executorStatus["CapEff"], 16));
                break;
            case "runAsUser":
                Assert.Equal("1000\t1000\t1000\t1000", executorStatus["Uid"]);
                Assert.Equal("3000\t3000\t3000\t3000", executorStatus["Gid"]);
                Assert.Contains("4000", executorStatus["Groups"]);
                Assert.Equal("0000000000000000", executorStatus["CapEff"]);
                break;
            case "dropAll":
                Assert.Equal("0000000000000000", executorStatus["CapEff"]);
                Assert.Equal("0000000000000000", executorStatus["CapBnd"]);
                break;
            case "runtimeDefaultSeccomp":
                Assert.Equal("2", executorStatus["Seccomp"]);
                Assert.Equal("1", executorStatus["NoNewPrivs"]);
                break;
            case "addCapability":
                Assert.NotEqual(0UL, Convert.ToUInt64(executorStatus["CapEff"], 16) & (1UL << 12));
                Assert.Equal(0UL, Convert.ToUInt64(executorStatus["CapEff"], 16) & 1UL);
                break;
        }

        // The pod's network, IPC and UTS namespaces; a PID and mount namespace that are not the host's.
        foreach (var ns in new[] { "net", "ipc", "uts" }) Assert.Equal(Namespace(pause, ns), Namespace(executor, ns));
        foreach (var ns in new[] { "pid", "mnt" }) Assert.NotEqual(Namespace(Environment.ProcessId, ns), Namespace(executor, ns));

        // Its root is the image's rootfs, with the executor bound in and nothing else of the host.
        var root = $"/proc/{executor}/root";
        Assert.True(File.Exists($"{root}/spin.wasm"), "the executor's root is not the image's rootfs");
        Assert.True(File.Exists($"{root}/.wasmkube/wasmkube-executor"), "the executor is not bound into the container");
        Assert.False(File.Exists($"{root}/etc/passwd"), "the executor sees the host's /etc");
        Assert.False(Directory.Exists($"{root}/usr"), "the executor sees the host's /usr");
        Assert.True(File.Exists($"{root}/proc/1/status"), "the container has no /proc of its own");
        Assert.False(File.Exists($"{root}/proc/{containerd.ContainerdPid}/status") && containerd.ContainerdPid > 1000,
            "the container's /proc shows host processes");
    }

    [Fact]
    public async Task Volumes_are_the_guests_preopens_and_a_read_only_volume_stays_read_only()
    {
        var readOnly = Directory.CreateTempSubdirectory("wasmkube-ro-").FullName;
        var writable = Directory.CreateTempSubdirectory("wasmkube-rw-").FullName;
        await File.WriteAllTextAsync(Path.Combine(readOnly, "in.txt"), "from the host");
        File.SetUnixFileMode(readOnly, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(writable, (UnixFileMode)0b111_111_111);
        var files = await containerd.ImportWasmImageAsync(Ns, "files", "containment-files:1",
            args: ["read", "/ro/in.txt", "write", "/ro/out.txt", "write", "/rw/out.txt", "ls", "/", "read", "/proc/self/status"]);
        var (podId, podConfig) = await _session.Pods.RunPodAsync("containment-volumes");
        var id = await _session.Pods.CreateAndStartAsync(podId, podConfig, "files", files,
            securityContext: new LinuxContainerSecurityContext { RunAsUser = new Int64Value { Value = 1000 } },
            mounts: [new Mount { ContainerPath = "/ro", HostPath = readOnly, Readonly = true }, new Mount { ContainerPath = "/rw", HostPath = writable }]);
        var status = await _session.Pods.WaitForExitAsync(id);
        var log = await CriPods.ReadLogAsync(status.LogPath, "ls /");

        Assert.True(status.ExitCode == 0, $"exit {status.ExitCode}: {log}");
        Assert.Contains("read /ro/in.txt: from the host", log);
        Assert.Matches("write /ro/out.txt: failed", log);
        Assert.Contains("write /rw/out.txt: ok", log);
        Assert.False(File.Exists(Path.Combine(readOnly, "out.txt")), "the guest wrote into a read-only volume");
        Assert.Equal("written by the guest", await File.ReadAllTextAsync(Path.Combine(writable, "out.txt")));
        Assert.Equal("1000", (await Commands.CheckedAsync("stat", "-c", "%u", Path.Combine(writable, "out.txt"))).Stdout.Trim());

        // The guest's "/" is the image: the container's /proc, /dev and the executor are not in its view.
        Assert.Matches(@"read /proc/self/status: failed", log);
        Assert.DoesNotContain("wasmkube-executor", log);
    }

    [Fact]
    public async Task An_exec_joins_the_containers_namespaces_with_its_own_user()
    {
        var spin = await containerd.ImportWasmImageAsync("default", "spin", "containment-exec:1");
        var id = "exec-" + Guid.NewGuid().ToString("N")[..8];
        var run = await containerd.Ctr("run", "-d", "--runtime", ContainerdInstance.Runtime, spin, id);
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            var init = await RunningPidAsync(id, "default");
            var exec = await containerd.Ctr("task", "exec", "-d", "--exec-id", "second", "--user", "2000", id, "/spin.wasm");
            Assert.True(exec.ExitCode == 0, exec.ToString());
            var execPid = await ExecPidAsync(id, init);

            Assert.Equal("2000\t2000\t2000\t2000", Status(execPid)["Uid"]);
            Assert.Equal("0\t0\t0\t0", Status(init)["Uid"]);
            foreach (var ns in new[] { "mnt", "pid", "net", "ipc", "uts" }) Assert.Equal(Namespace(init, ns), Namespace(execPid, ns));
            Assert.True(File.Exists($"/proc/{execPid}/root/spin.wasm"), "the exec's root is not the container's rootfs");
        }
        finally
        {
            await containerd.Ctr("task", "kill", "-s", "KILL", id);
            await WaitForTaskExitAsync(id);
            await containerd.Ctr("task", "delete", id);
            await containerd.Ctr("container", "rm", id);
        }
    }

    [Fact]
    public async Task A_step_that_cannot_be_done_fails_the_create_naming_it()
    {
        var hello = await containerd.ImportWasmImageAsync("default", "hello", "containment-bad-mount:1");
        var missing = "/nonexistent-" + Guid.NewGuid().ToString("N");

        var run = await containerd.Ctr("run", "--rm", "--runtime", ContainerdInstance.Runtime,
            "--mount", $"type=bind,src={missing},dst=/data,options=rbind:ro", hello, "bad-mount-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"mount bind {missing} on /data: No such file or directory", run.Stderr);
    }

    [Fact]
    public async Task A_contained_process_cannot_reach_host_files_or_processes_without_going_through_wasi()
    {
        var secret = Path.Combine(Directory.CreateTempSubdirectory("wasmkube-escape-").FullName, "secret");
        await File.WriteAllTextAsync(secret, "host secret");
        using var hostProcess = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        var targets = Path.Combine(containerd.Root, "escape-targets");
        await File.WriteAllTextAsync(targets, $"{secret} {hostProcess.Id}\n");
        var image = await containerd.ImportImageAsync("default", new ImageBuildOptions
        {
            ModulePath = containerd.Guest("hello"),
            ModuleImagePath = "/hello.wasm",
            Files = [new ImageFile(targets, "/targets", ImageFile.Regular)],
            Reference = ImageReference.Parse("containment-escape:1"),
            Platform = ImagePlatform.LinuxAmd64,
        });
        try
        {
            var result = await containerd.Ctr("run", "--rm", "--runtime", ContainerdInstance.Runtime,
                "--annotation", "wasmkube.io/engine=" + EscapeProbeContainerd.ProbeEngine, image, "escape-" + Guid.NewGuid().ToString("N")[..8]);

            Assert.True(result.ExitCode == 0, $"the probe escaped:\n{result}");
            Assert.Contains("escapes: 0", result.Stdout);
            Assert.Equal(10, result.Stdout.Split('\n').Count(line => line.Contains(": blocked (", StringComparison.Ordinal)));
            Assert.False(hostProcess.HasExited, "the host process was killed from the container");
            Assert.Equal("host secret", await File.ReadAllTextAsync(secret));
        }
        finally
        {
            hostProcess.Kill();
        }
    }

    private async Task<int> RunningPidAsync(string id, string ns = Ns)
    {
        var file = Path.Combine(containerd.RecordDirectory, ns, id + ".json");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var record = JsonDocument.Parse(await File.ReadAllTextAsync(file));
                if (record.RootElement.GetProperty("status").GetString() == "running" && record.RootElement.GetProperty("pid").GetInt32() is > 0 and var pid)
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{id} did not reach running: {file}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until <paramref name="pid"/> runs the program whose name (comm, 15 characters) is given.</summary>
    private static async Task ExecutedAsync(int pid, string comm)
    {
        var deadline = Stopwatch.StartNew();
        while (File.ReadAllText($"/proc/{pid}/comm").Trim() != comm)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"process {pid} never became {comm}");
            await Task.Delay(20);
        }
    }

    /// <summary>The pid of the exec: the process of the container's cgroup that is not its init.</summary>
    private async Task<int> ExecPidAsync(string id, int init)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ps = await containerd.Ctr("task", "ps", id);
            var pids = ps.Stdout.Split('\n').Skip(1)
                .Select(line => int.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), out var pid) ? pid : 0)
                .Where(pid => pid > 0 && pid != init).ToList();
            if (pids.Count == 1) return pids[0];
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"no exec process in {id}: {ps}");
            await Task.Delay(50);
        }
    }

    private async Task WaitForTaskExitAsync(string id)
    {
        for (var i = 0; i < 100 && !(await containerd.Ctr("task", "ls")).Stdout.Split('\n').Any(l => l.StartsWith(id, StringComparison.Ordinal) && l.Contains("STOPPED")); i++)
        {
            await Task.Delay(100);
        }
    }

    private static Dictionary<string, string> Status(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").Select(line => line.Split(':', 2)).Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    private static string Namespace(int pid, string type) => new FileInfo($"/proc/{pid}/ns/{type}").LinkTarget ?? "";
}
