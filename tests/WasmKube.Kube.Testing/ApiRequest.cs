namespace WasmKube.Kube.Testing;

/// <summary>
/// One resource request as the API server's request-info resolver sees it. <see cref="Verb"/> is the Kubernetes
/// verb (get, list, watch, create, update, patch, delete, deletecollection); <see cref="Group"/> is "" for the
/// core group; <see cref="Subresource"/> is e.g. "status" or "scale".
/// </summary>
public sealed record ApiRequest(
    string Verb,
    string Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name)
{
    /// <summary>
    /// The user whose token (<see cref="TestApiServerOptions.Users"/>) the request carried; null for the server's
    /// own <see cref="TestApiServerOptions.Token"/> or an anonymous request.
    /// </summary>
    public string? User { get; init; }

    /// <summary>Whether the request changes (or tries to change) stored state.</summary>
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}
