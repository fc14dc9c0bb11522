using System.Globalization;
using WasmKube.Contracts;
using WasmKube.Shim.Bootstrap;
using WasmKube.Shim.Cgroups;
using WasmKube.Shim.Containment;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Runc;
using WasmKube.Shim.Protocol.Ttrpc;
using WasmKube.Shim.Ttrpc;

namespace WasmKube.Shim.Tasks;

/// <summary>
/// Wasm containers: each process is an executor of the container's engine, in the container's cgroup (created here
/// from the spec's resources) and, contained, in namespaces, mounts and credentials set up as runc would
/// (<see cref="ContainmentPlanner"/>). The spec's process, mounts and the pod's annotations become the executor's
/// <see cref="ExecutorConfig"/>.
/// </summary>
internal sealed class WasmContainerLauncher(ShimContext context) : IContainerLauncher
{
    public string Kind => ContainerRecord.Wasm;

    public ShimProcess CreateInit(string id, string bundle, OciSpec spec, string rootfs, Entrypoint entrypoint, ContainerCgroup cgroup, Stdio stdio)
    {
        var procs = cgroup.Create(spec.Resources);
        var config = ConfigFor(spec, spec.Process, entrypoint, rootfs, cgroup) with
        {
            EngineStatsFile = context.Records.Layout.EngineStatsPath(context.Namespace, id),
            ListenPorts = ListenPorts(spec),
        };
        var launch = Launch(spec, rootfs, procs, executor => context.Contain
            ? ContainmentPlanner.ForInit(spec, rootfs, procs, executor, ShimPaths.Sysroot(executor), ExecutorEnvironment(), context.Cgroups.IsV1)
            : null);
        return new WasmProcess(id, "", config, Path.Combine(bundle, "wasmkube"), launch, stdio);
    }

    public ShimProcess CreateExec(Container container, string execId, OciProcess process, string processJson, Stdio stdio)
    {
        var entrypoint = Entrypoint.Resolve(container.Rootfs, process);
        var procs = container.Cgroup.Directories.Select(d => Path.Combine(d, "cgroup.procs")).ToList();
        var launch = Launch(container.Spec, container.Rootfs, procs, executor => context.Contain
            ? ContainmentPlanner.ForExec(container.Spec, process, container.Init.Pid, procs, executor, ExecutorEnvironment(), context.Cgroups.IsV1)
            : null);
        return new WasmProcess(container.Id, execId, ConfigFor(container.Spec, process, entrypoint, container.Rootfs, container.Cgroup),
            Path.Combine(container.Bundle, "wasmkube"), launch, stdio);
    }

    /// <summary>As when a container's pid 1 dies: its other processes go with it.</summary>
    public void InitExited(Container container)
    {
        foreach (var exec in container.Execs.Values.Where(e => e.State != ProcessState.Stopped && e.Pid > 0))
        {
            try
            {
                exec.Kill(9, all: false);
            }
            catch (TtrpcException)
            {
                // Exited meanwhile.
            }
        }
    }

    public void Release(ContainerCgroup cgroup) => cgroup.Delete();

    private ExecutorConfig ConfigFor(OciSpec spec, OciProcess process, Entrypoint entrypoint, string rootfs, ContainerCgroup cgroup)
    {
        var preopens = new List<Preopen> { new("/", rootfs, spec.RootReadonly) };
        foreach (var mount in spec.Mounts.Where(m => m.IsBind && Directory.Exists(m.Source)))
        {
            preopens.Add(new Preopen(mount.Destination, mount.Source, mount.ReadOnly));
        }

        var limits = WorkloadLimits.From(spec);
        return new ExecutorConfig
        {
            ModulePath = entrypoint.HostPath ?? "",
            Entrypoint = entrypoint.Written,
            Args = process.Args,
            Env = process.Env,
            Cwd = process.Cwd,
            Preopens = preopens,
            MemoryLimitBytes = spec.Resources.MemoryLimit,
            MemoryUsageFile = cgroup.MemoryUsageFile,
            MaxMemoryBytes = limits.MaxMemoryBytes,
            Fuel = limits.Fuel,
            Timeout = limits.Timeout,
            CacheDirectory = context.CacheDirectory,
        };
    }

    /// <summary>The ports of the pod's <see cref="PodAnnotations.Listen"/> annotation ("8080,9090"); entries that are not ports are ignored.</summary>
    internal static IReadOnlyList<int> ListenPorts(OciSpec spec) =>
        spec.Annotations.GetValueOrDefault(PodAnnotations.Listen) is { } list
            ? [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => int.TryParse(entry, CultureInfo.InvariantCulture, out var port) ? port : 0)
                .Where(port => port is > 0 and <= 65535)
                .Distinct()]
            : [];

    /// <summary>
    /// The executor of the container's engine (<see cref="PodAnnotations.Engine"/>, Wasmtime by default), contained,
    /// or (containment off) entering the namespaces the spec names by path (the pod's) and creating the ones it asks
    /// for without a path.
    /// </summary>
    private WasmLaunch Launch(OciSpec spec, string rootfs, IReadOnlyList<string> cgroupProcs, Func<string, (ContainmentPlan Plan, PidNamespace Pid)?> contain)
    {
        var engine = spec.Annotations.GetValueOrDefault(PodAnnotations.Engine) ?? Engines.Default;
        if (!context.Executors.TryGetValue(engine, out var executor))
        {
            throw new TtrpcException(StatusCode.InvalidArgument,
                $"the {PodAnnotations.Engine} annotation names the engine \"{engine}\"; use one of: {string.Join(", ", Engines.ExecutorPrograms.Keys)}");
        }

        (ContainmentPlan Plan, PidNamespace Pid)? contained;
        try
        {
            contained = contain(executor);
        }
        catch (ContainmentException e)
        {
            throw new TtrpcException(StatusCode.InvalidArgument, e.Message);
        }

        return contained is { } c
            ? new WasmLaunch(executor, [], cgroupProcs, new ContainedStart(c.Plan, c.Pid, rootfs))
            : new WasmLaunch(executor, UncontainedNamespaceCommand(spec), cgroupProcs);
    }

    /// <summary><c>unshare</c> and <c>nsenter</c> for the network, IPC and UTS namespaces of an executor run without containment.</summary>
    private static List<string> UncontainedNamespaceCommand(OciSpec spec)
    {
        var enter = new List<string>();
        var create = new List<string>();
        foreach (var ns in spec.Namespaces)
        {
            var flag = ns.Type switch
            {
                "network" => "net",
                "ipc" => "ipc",
                "uts" => "uts",
                _ => null,
            };
            if (flag is null)
            {
                continue;
            }

            if (string.IsNullOrEmpty(ns.Path))
            {
                create.Add("--" + flag);
            }
            else
            {
                enter.Add($"--{flag}={ns.Path}");
            }
        }

        var command = new List<string>();
        if (create.Count > 0)
        {
            command.AddRange(["unshare", .. create, "--"]);
        }

        if (enter.Count > 0)
        {
            command.AddRange(["nsenter", .. enter, "--"]);
        }

        return command;
    }

    /// <summary>What a contained executor inherits from the shim's environment: its own settings only.</summary>
    private static List<string> ExecutorEnvironment() =>
        [.. Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(key => key.StartsWith("WASMKUBE_", StringComparison.Ordinal) || key.StartsWith("DOTNET_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(key => $"{key}={Environment.GetEnvironmentVariable(key)}")];
}
