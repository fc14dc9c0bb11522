using System.Text.Json.Nodes;

namespace WasmKube.Shim.Oci;

/// <summary>The parts of a bundle's config.json (OCI runtime spec 1.0) the shim acts on.</summary>
public sealed record OciSpec
{
    public required OciProcess Process { get; init; }

    public string RootPath { get; init; } = "rootfs";

    public bool RootReadonly { get; init; }

    public IReadOnlyList<OciMount> Mounts { get; init; } = [];

    public string CgroupsPath { get; init; } = "";

    public IReadOnlyList<OciNamespace> Namespaces { get; init; } = [];

    public OciResources Resources { get; init; } = new();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The whole document, for the fields only containment reads (linux.seccomp, devices, masked paths…).</summary>
    public JsonNode Raw { get; init; } = new JsonObject();

    public const string ContainerTypeAnnotation = "io.kubernetes.cri.container-type";
    public const string SandboxIdAnnotation = "io.kubernetes.cri.sandbox-id";

    public static OciSpec Load(string bundle)
    {
        var path = Path.Combine(bundle, "config.json");
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException("empty document");
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"cannot read the OCI spec {path}: {e.Message}", e);
        }

        return Parse(root);
    }

    public static OciSpec Parse(JsonNode root)
    {
        var linux = root["linux"];
        return new OciSpec
        {
            Process = OciProcess.Parse(root["process"] ?? new JsonObject()),
            RootPath = (string?)root["root"]?["path"] ?? "rootfs",
            RootReadonly = (bool?)root["root"]?["readonly"] ?? false,
            Mounts = (root["mounts"] as JsonArray ?? []).Where(m => m is not null).Select(m => new OciMount(
                (string?)m!["destination"] ?? "",
                (string?)m["type"] ?? "",
                (string?)m["source"] ?? "",
                Strings(m["options"]))).ToList(),
            CgroupsPath = (string?)linux?["cgroupsPath"] ?? "",
            Namespaces = (linux?["namespaces"] as JsonArray ?? []).Where(n => n is not null)
                .Select(n => new OciNamespace((string?)n!["type"] ?? "", (string?)n["path"])).ToList(),
            Resources = OciResources.Parse(linux?["resources"]),
            Annotations = (root["annotations"] as JsonObject ?? [])
                .Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => (string?)p.Value ?? ""),
            Raw = root,
        };
    }

    /// <summary>The pod a container belongs to: CRI's sandbox id, or the container itself.</summary>
    public string GroupId(string id) => Annotations.GetValueOrDefault(SandboxIdAnnotation) is { Length: > 0 } sandbox ? sandbox : id;

    internal static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(v => (string?)v ?? "").ToList();
}
