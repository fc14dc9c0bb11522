using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Storage;

/// <summary>The resources the server serves: the built-ins plus one entry per served version of each established CRD.</summary>
internal sealed class ResourceRegistry
{
    readonly object _gate = new();
    List<ResourceType> _types = [.. BuiltinResources.All];

    public IReadOnlyList<ResourceType> All
    {
        get { lock (_gate) { return _types; } }
    }

    public ResourceType? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
        }
    }

    /// <summary>Any served version of a group/resource; used by the garbage collector and storage keys.</summary>
    public ResourceType? FindByGroupResource(string group, string plural)
    {
        lock (_gate)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Plural == plural);
        }
    }

    public ResourceType? FindByKind(string apiVersion, string kind)
    {
        lock (_gate)
        {
            return _types.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);
        }
    }

    /// <summary>Replaces the entries of one CRD (create or update); returns the new entries.</summary>
    public IReadOnlyList<ResourceType> Register(JsonObject crd)
    {
        var added = CustomResourceDefinitions.ToResourceTypes(crd);
        var (group, plural) = CustomResourceDefinitions.GroupAndPlural(crd);
        lock (_gate)
        {
            _types = [.. _types.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural)), .. added];
        }
        return added;
    }

    public void Unregister(string group, string plural)
    {
        lock (_gate)
        {
            _types = [.. _types.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural))];
        }
    }
}
