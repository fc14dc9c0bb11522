using System.Text.Json.Nodes;
using WasmKube.Kube.Testing;

namespace WasmKube.Helm.Tests;

/// <summary>One verb on one resource (with subresource) in one API group, as an RBAC rule grants it.</summary>
internal sealed record Grant(string Group, string Resource, string Verb, string? ResourceName, string? Namespace)
{
    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(ResourceName is null ? "" : $" named {ResourceName}")} {(Namespace is null ? "cluster-wide" : $"in {Namespace}")}";
}

/// <summary>
/// What Kubernetes' RBAC authorizer would allow a service account, from the Roles, ClusterRoles and bindings of a
/// rendered chart: a ClusterRoleBinding grants its ClusterRole everywhere, a RoleBinding grants its role in the
/// binding's namespace only, and a rule with resourceNames allows only requests that name one of them (so never a
/// create, list or watch).
/// </summary>
internal sealed class RbacPolicy
{
    private readonly IReadOnlyList<Grant> _grants;

    private RbacPolicy(IReadOnlyList<Grant> grants) => _grants = grants;

    public IReadOnlyList<Grant> Grants => _grants;

    public static RbacPolicy For(RenderedChart chart, string serviceAccountNamespace, string serviceAccount)
    {
        bool Binds(JsonObject binding) => binding["subjects"]!.AsArray().Any(s =>
            (string?)s!["kind"] == "ServiceAccount" && (string?)s["name"] == serviceAccount && (string?)s["namespace"] == serviceAccountNamespace);

        JsonObject Role(string kind, string name, string? ns) =>
            chart.Objects.SingleOrDefault(o => RenderedChart.Kind(o) == kind && RenderedChart.Name(o) == name && (kind == "ClusterRole" || RenderedChart.NamespaceOf(o) == ns))
            ?? throw new Xunit.Sdk.XunitException($"a binding refers to {kind} {name}, which the chart does not render");

        var grants = new List<Grant>();
        foreach (var binding in chart.OfKind("ClusterRoleBinding").Where(Binds))
        {
            grants.AddRange(Expand(Role("ClusterRole", (string)binding["roleRef"]!["name"]!, null), null));
        }
        foreach (var binding in chart.OfKind("RoleBinding").Where(Binds))
        {
            var ns = RenderedChart.NamespaceOf(binding);
            grants.AddRange(Expand(Role((string)binding["roleRef"]!["kind"]!, (string)binding["roleRef"]!["name"]!, ns), ns));
        }
        return new RbacPolicy(grants);
    }

    private static IEnumerable<Grant> Expand(JsonObject role, string? ns)
    {
        foreach (var rule in role["rules"]!.AsArray())
        {
            var names = rule!["resourceNames"]?.AsArray().Select(n => (string?)n).ToList() ?? [null];
            foreach (var group in rule["apiGroups"]!.AsArray())
            foreach (var resource in rule["resources"]!.AsArray())
            foreach (var verb in rule["verbs"]!.AsArray())
            foreach (var name in names)
            {
                yield return new Grant((string)group!, (string)resource!, (string)verb!, name, ns);
            }
        }
    }

    private static bool Matches(Grant grant, ApiRequest request) =>
        grant.Group == request.Group
        && grant.Resource == (request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}")
        && grant.Verb == request.Verb
        && (grant.ResourceName is null || grant.ResourceName == request.Name)
        && (grant.Namespace is null || grant.Namespace == request.Namespace);

    public bool Allows(ApiRequest request) => _grants.Any(g => Matches(g, request));

    /// <summary>Grants no request used.</summary>
    public IReadOnlyList<Grant> Unused(IEnumerable<ApiRequest> requests)
    {
        var list = requests.ToList();
        return [.. _grants.Where(g => !list.Any(r => Matches(g, r)))];
    }

    /// <summary>A request as "verb group/resource[/subresource] (namespaced|cluster)", the shape the report lists.</summary>
    public static string Describe(ApiRequest r) =>
        $"{r.Verb} {(r.Group.Length == 0 ? "core" : r.Group)}/{r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)} ({(r.Namespace is null ? "cluster" : "namespaced")})";
}
