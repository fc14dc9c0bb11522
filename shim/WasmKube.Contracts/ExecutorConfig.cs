using System.Text.Json;

namespace WasmKube.Contracts;

/// <summary>
/// Everything an executor needs to run one wasm process, written by the shim as JSON: the contract between the shim
/// and its executors. The guest sees exactly
/// these args, env and preopens: nothing else from the host. Stdio is the executor's own fds 0-2, which the shim
/// opens on containerd's FIFOs.
/// </summary>
public sealed record ExecutorConfig
{
    /// <summary>Host path of the module (the entrypoint resolved in the container's rootfs).</summary>
    public required string ModulePath { get; init; }

    /// <summary>How the entrypoint was written in the spec, for error messages.</summary>
    public string Entrypoint { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    public IReadOnlyList<Preopen> Preopens { get; init; } = [];

    public string Cwd { get; init; } = "/";

    /// <summary>The container's memory limit; linear memory is capped below it (see <see cref="MemoryUsageFile"/>).</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>
    /// The cgroup file with the container's current memory use (memory.usage_in_bytes or memory.current). What the
    /// executor itself already uses is subtracted from the limit, so a guest hits a failed memory.grow instead of
    /// the kernel's OOM killer.
    /// </summary>
    public string? MemoryUsageFile { get; init; }

    /// <summary>
    /// The workload's own cap on linear memory (<see cref="PodAnnotations.MaxMemory"/>); the executor applies the
    /// smaller of it and the cap the container's memory limit leaves.
    /// </summary>
    public long? MaxMemoryBytes { get; init; }

    /// <summary>Fuel before the guest traps (<see cref="PodAnnotations.Fuel"/>); unmetered when null.</summary>
    public long? Fuel { get; init; }

    /// <summary>Wall-clock limit of the run, from the guest's entry point (<see cref="PodAnnotations.Timeout"/>).</summary>
    public TimeSpan? Timeout { get; init; }

    public string? CacheDirectory { get; init; }

    /// <summary>
    /// TCP ports the executor listens on (all addresses, in the pod's network namespace) and preopens for the guest,
    /// from the pod's <see cref="PodAnnotations.Listen"/> annotation; only for the container's init process.
    /// </summary>
    public IReadOnlyList<int> ListenPorts { get; init; } = [];

    /// <summary>
    /// Where the executor publishes its <see cref="EngineStats"/> for node agents
    /// (<see cref="ContainerRecordLayout.EngineStatsPath"/>); null for exec processes, whose container already has them.
    /// </summary>
    public string? EngineStatsFile { get; init; }

    /// <summary>
    /// Instead of <see cref="EngineStatsFile"/>, for a contained executor: an inherited pipe to which it writes each
    /// statistics record as one line; the shim writes the file.
    /// </summary>
    public int? EngineStatsFd { get; init; }

    /// <summary>
    /// Inherited descriptors the executor closes once the module is compiled, before any guest code runs (the
    /// configuration and the shared compile cache of a contained executor).
    /// </summary>
    public IReadOnlyList<int> ReleaseBeforeStart { get; init; } = [];

    /// <summary>FIFO the executor waits on before running guest code (the task's Start).</summary>
    public string? StartFifo { get; init; }

    /// <summary>
    /// Reads a configuration; fields it leaves out take their defaults (the generated reader would leave them null:
    /// it sets every init-only property, present or not).
    /// </summary>
    public static ExecutorConfig Load(string path)
    {
        var read = JsonSerializer.Deserialize(File.ReadAllText(path), ContractJson.Default.ExecutorConfig)
            ?? throw new InvalidDataException($"{path} holds no executor config");
        return read with
        {
            Entrypoint = read.Entrypoint ?? "",
            Args = read.Args ?? [],
            Env = read.Env ?? [],
            Preopens = read.Preopens ?? [],
            Cwd = read.Cwd ?? "/",
            ListenPorts = read.ListenPorts ?? [],
            ReleaseBeforeStart = read.ReleaseBeforeStart ?? [],
        };
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, ContractJson.Default.ExecutorConfig));
}
