using System.Text.RegularExpressions;
using WasmKube.Kube.Testing.Http;
using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing.Validation;

/// <summary>Object name rules (apimachinery validation: DNS-1123 subdomain; namespaces and services use DNS-1123 labels).</summary>
internal static partial class Names
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    public static void ValidateObjectName(ResourceType type, string name)
    {
        var labelOnly = type is { Group: "", Plural: "namespaces" or "services" };
        var valid = labelOnly
            ? name.Length <= 63 && Label().IsMatch(name)
            : name.Length <= 253 && Subdomain().IsMatch(name);
        if (!valid)
        {
            var rule = labelOnly
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
            throw ApiException.Invalid(type.Kind, type.Group, name, "metadata.name", $"Invalid value: \"{name}\": {rule}");
        }
    }
}
