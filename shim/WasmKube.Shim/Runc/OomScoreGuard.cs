using System.Globalization;
using System.Text.Json.Nodes;

namespace WasmKube.Shim.Runc;

/// <summary>
/// CRI asks for oom_score_adj -998 for pause containers; lowering a score needs CAP_SYS_RESOURCE, which some hosts
/// (nested or restricted containers) withhold even from root, and runc then fails with "can't get final child's PID".
/// Without the capability the bundle's score is raised to the lowest one this process may set (its own).
/// </summary>
internal static class OomScoreGuard
{
    private const int CapSysResource = 24;

    /// <summary>Returns a warning when the spec was changed, null otherwise.</summary>
    public static string? Apply(string bundle)
    {
        if (HasCapability(CapSysResource))
        {
            return null;
        }

        var path = Path.Combine(bundle, "config.json");
        var root = JsonNode.Parse(File.ReadAllText(path));
        if (root?["process"]?["oomScoreAdj"] is not JsonValue value || !value.TryGetValue<int>(out var requested))
        {
            return null;
        }

        var own = int.Parse(File.ReadAllText("/proc/self/oom_score_adj").Trim(), CultureInfo.InvariantCulture);
        if (requested >= own)
        {
            return null;
        }

        root["process"]!["oomScoreAdj"] = own;
        File.WriteAllText(path, root.ToJsonString());
        return $"oomScoreAdj {requested} needs CAP_SYS_RESOURCE, which this host does not grant; using {own}";
    }

    private static bool HasCapability(int capability)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << capability)) != 0;
    }
}
