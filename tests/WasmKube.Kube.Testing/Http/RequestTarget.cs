using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing.Http;

/// <summary>A parsed resource URL: /api/v1/... or /apis/&lt;group&gt;/&lt;version&gt;/..., as the request-info resolver splits it.</summary>
internal sealed record RequestTarget(string Group, string Version, string Resource, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Null when the path names a group-version only (a discovery request) or is not an API path.</summary>
    public static RequestTarget? Parse(string[] segments, ResourceRegistry registry)
    {
        string group, version;
        string[] rest;
        if (segments is ["api", var coreVersion, .. var coreRest] && coreRest.Length > 0)
        {
            (group, version, rest) = ("", coreVersion, coreRest);
        }
        else if (segments is ["apis", var g, var v, .. var groupRest] && groupRest.Length > 0)
        {
            (group, version, rest) = (g, v, groupRest);
        }
        else
        {
            return null;
        }
        if (rest is ["namespaces", var ns, var resource, .. var tail]
            && registry.Find(group, version, resource) is { Namespaced: true })
        {
            return new RequestTarget(group, version, resource, ns, tail.ElementAtOrDefault(0), tail.ElementAtOrDefault(1));
        }
        return new RequestTarget(group, version, rest[0], null, rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2));
    }
}
