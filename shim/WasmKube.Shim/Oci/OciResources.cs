using System.Text.Json.Nodes;

namespace WasmKube.Shim.Oci;

/// <summary>The cgroup limits of linux.resources the shim applies to wasm containers.</summary>
public sealed record OciResources
{
    public long? MemoryLimit { get; init; }

    public long? CpuQuota { get; init; }

    public ulong? CpuPeriod { get; init; }

    public ulong? CpuShares { get; init; }

    public long? PidsLimit { get; init; }

    public static OciResources Parse(JsonNode? node) => new()
    {
        MemoryLimit = Positive((long?)node?["memory"]?["limit"]),
        CpuQuota = Positive((long?)node?["cpu"]?["quota"]),
        CpuPeriod = (ulong?)node?["cpu"]?["period"] is > 0 and var period ? period : null,
        CpuShares = (ulong?)node?["cpu"]?["shares"] is > 0 and var shares ? shares : null,
        PidsLimit = Positive((long?)node?["pids"]?["limit"]),
    };

    private static long? Positive(long? value) => value is > 0 ? value : null;
}
