using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Storage;

/// <summary>How a resource's scale subresource maps onto the object (CRD spec.subresources.scale).</summary>
internal sealed record ScaleMapping(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

/// <summary>An additionalPrinterColumns entry (or a built-in column computed by <see cref="Compute"/>).</summary>
internal sealed record PrinterColumn(string Name, string Type, string? JsonPath, int Priority = 0, string Description = "", string Format = "")
{
    public Func<JsonObject, object?>? Compute { get; init; }
}

/// <summary>
/// One served resource: what discovery lists and what the storage needs to apply the resource's semantics.
/// Storage is keyed by group and plural name, so every served version of a CRD shares its objects (the real
/// server's "None" conversion strategy only rewrites apiVersion).
/// </summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    string Singular,
    bool Namespaced)
{
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Verbs { get; init; } = AllVerbs;
    public bool HasStatus { get; init; }
    public ScaleMapping? Scale { get; init; }
    /// <summary>Whether metadata.generation is maintained (CRs and spec-carrying built-ins such as Deployments).</summary>
    public bool TracksGeneration { get; init; }
    public bool IsCustom { get; init; }
    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];
    /// <summary>The CRD version's openAPIV3Schema, when it has one.</summary>
    public JsonObject? Schema { get; init; }

    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
    public string ListKind => Kind + "List";
}
