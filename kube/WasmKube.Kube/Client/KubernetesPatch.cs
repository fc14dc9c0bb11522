namespace WasmKube.Kube.Client;

/// <summary>A patch body and its flavour.</summary>
public sealed record KubernetesPatch(PatchType Type, string Body)
{
    internal string ContentType => Type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        PatchType.Apply => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, "Unknown patch type."),
    };
}
