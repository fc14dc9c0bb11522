using System.Text.Json.Serialization.Metadata;

namespace WasmKube.Kube.Models;

/// <summary>
/// Where a resource type is served (group, version, plural, scope) and its source-generated JSON contracts. A
/// <paramref name="MetadataOnly"/> type reads the resource as PartialObjectMetadata: the API server sends only each
/// object's metadata, so watching it costs neither the objects' contents nor the permission to read them
/// beyond list and watch (controller-runtime's metadata-only watches).
/// </summary>
public sealed record ResourceDefinition<T>(
    string Group,
    string Version,
    string Kind,
    string Plural,
    bool Namespaced,
    JsonTypeInfo<T> TypeInfo,
    JsonTypeInfo<KubernetesList<T>> ListTypeInfo,
    bool MetadataOnly = false)
    where T : class, IKubernetesObject<T>
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, e.g. /apis/apps/v1/namespaces/default/deployments or /api/v1/nodes.</summary>
    public string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        if (!Namespaced || string.IsNullOrEmpty(@namespace))
        {
            return $"{root}/{Plural}";
        }
        return $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}";
    }

    public string ItemPath(string? @namespace, string name)
    {
        if (Namespaced && string.IsNullOrEmpty(@namespace))
        {
            throw new ArgumentException($"{Kind} is namespaced: give the namespace of '{name}'.", nameof(@namespace));
        }
        return $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";
    }
}
