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

    /// <summary>linux.resources.devices: the device cgroup's rules, in order.</summary>
    public IReadOnlyList<OciDeviceRule> Devices { get; init; } = [];

    public static OciResources Parse(JsonNode? node) => new()
    {
        MemoryLimit = Positive((long?)node?["memory"]?["limit"]),
        CpuQuota = Positive((long?)node?["cpu"]?["quota"]),
        CpuPeriod = (ulong?)node?["cpu"]?["period"] is > 0 and var period ? period : null,
        CpuShares = (ulong?)node?["cpu"]?["shares"] is > 0 and var shares ? shares : null,
        PidsLimit = Positive((long?)node?["pids"]?["limit"]),
        Devices = (node?["devices"] as JsonArray ?? []).Where(d => d is not null).Select(d => new OciDeviceRule(
            (bool?)d!["allow"] ?? false,
            (string?)d["type"] is { Length: > 0 } type ? type : "a",
            (long?)d["major"],
            (long?)d["minor"],
            (string?)d["access"] is { Length: > 0 } access ? access : "rwm")).ToList(),
    };

    private static long? Positive(long? value) => value is > 0 ? value : null;
}

/// <summary>One device cgroup rule; a missing major or minor matches every number.</summary>
public sealed record OciDeviceRule(bool Allow, string Type, long? Major, long? Minor, string Access)
{
    /// <summary>The rule as cgroup v1's devices.allow and devices.deny read it: "c 1:3 rwm", "a *:* rwm".</summary>
    public string ToV1() => $"{Type} {(Major is { } major ? major.ToString(System.Globalization.CultureInfo.InvariantCulture) : "*")}:{(Minor is { } minor ? minor.ToString(System.Globalization.CultureInfo.InvariantCulture) : "*")} {Access}";
}
