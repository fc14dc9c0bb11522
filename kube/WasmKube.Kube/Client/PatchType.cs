namespace WasmKube.Kube.Client;

/// <summary>The patch flavours the API server accepts, by Content-Type.</summary>
public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch (application/merge-patch+json).</summary>
    Merge,

    /// <summary>RFC 6902 JSON patch (application/json-patch+json).</summary>
    Json,

    /// <summary>Kubernetes strategic merge patch; built-in types only.</summary>
    StrategicMerge,

    /// <summary>Server-side apply (application/apply-patch+yaml; JSON is valid YAML).</summary>
    Apply,
}
