using System.Text.Json.Nodes;

namespace WasmKube.Shim.Oci;

/// <summary>An OCI process (the spec's process, or an exec's spec), keeping the raw JSON for runc.</summary>
public sealed record OciProcess(IReadOnlyList<string> Args, IReadOnlyList<string> Env, string Cwd, bool Terminal, JsonNode Raw)
{
    public static OciProcess Parse(JsonNode node) => new(
        OciSpec.Strings(node["args"]),
        OciSpec.Strings(node["env"]),
        (string?)node["cwd"] ?? "/",
        (bool?)node["terminal"] ?? false,
        node);

    /// <summary>The PATH the process would search, from its environment.</summary>
    public string SearchPath =>
        Env.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? "/usr/local/bin:/usr/bin:/bin";
}
