namespace WasmKube.Kube.Client;

/// <summary>Query options of a watch call.</summary>
public sealed record WatchOptions
{
    /// <summary>Start after this version; events the client already saw are not replayed.</summary>
    public string? ResourceVersion { get; init; }
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }

    /// <summary>Ask for BOOKMARK events so the version stays fresh on quiet collections and a reconnect avoids 410 Gone.</summary>
    public bool AllowBookmarks { get; init; } = true;

    /// <summary>Server-side end of the watch; the caller reconnects. Real servers randomise between 5 and 10 minutes.</summary>
    public int? TimeoutSeconds { get; init; }
}
