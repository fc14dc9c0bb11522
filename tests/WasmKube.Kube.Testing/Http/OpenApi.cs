using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing.Http;

/// <summary>
/// A minimal OpenAPI v3 surface: the /openapi/v3 index and one document per group-version holding, for every kind,
/// the PATCH operation tagged with x-kubernetes-group-version-kind and its fieldValidation query parameter. That is
/// what kubectl 1.32 reads (QueryParamVerifierV3) to decide that the server validates fields itself, instead of
/// downloading full schemas for client-side validation. Schemas of the types are not published, so kubectl falls
/// back to its compiled-in types for strategic merge patches, and to JSON merge patches for custom resources.
/// </summary>
internal static class OpenApi
{
    static string GroupVersionPath(ResourceType t) => t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}";

    public static JsonObject Index(IReadOnlyList<ResourceType> types)
    {
        var paths = new JsonObject();
        foreach (var group in types.GroupBy(GroupVersionPath))
        {
            paths[group.Key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{group.Key}?hash={Hash(group)}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    static string Hash(IEnumerable<ResourceType> types)
    {
        var text = string.Join(";", types.Select(t => $"{t.Kind}/{t.Plural}/{t.Namespaced}/{t.Schema?.ToJsonString()}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    public static JsonObject? Document(IReadOnlyList<ResourceType> types, string groupVersionPath)
    {
        var served = types.Where(t => GroupVersionPath(t) == groupVersionPath).ToList();
        if (served.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        foreach (var type in served)
        {
            var prefix = "/" + groupVersionPath + (type.Namespaced ? "/namespaces/{namespace}/" : "/") + type.Plural + "/{name}";
            paths[prefix] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["parameters"] = new JsonArray(
                        Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), Query("force")),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject
                    {
                        ["group"] = type.Group,
                        ["version"] = type.Version,
                        ["kind"] = type.Kind,
                    },
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
