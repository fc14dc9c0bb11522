using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmKube.Kube.Models;

/// <summary>
/// A resource.Quantity ("500m", "64Mi", "1e3", 2). Kept as written; compared by value, because the API server
/// may canonicalise the text (0.5 becomes 500m) and a controller must not see that as drift.
/// Suffixes per k8s.io/apimachinery/pkg/api/resource: binary Ki..Ei, decimal n u m k M G T P E, and exponents.
/// </summary>
[JsonConverter(typeof(ResourceQuantityJsonConverter))]
public sealed class ResourceQuantity : IEquatable<ResourceQuantity>
{
    public ResourceQuantity(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value.Trim();
        if (!TryParse(Value, out _))
        {
            throw new FormatException($"'{value}' is not a Kubernetes quantity; write it like 500m, 64Mi, 2 or 1e3.");
        }
    }

    public string Value { get; }

    public decimal ToDecimal() => TryParse(Value, out var number) ? number : 0m;

    public static bool TryParse(string text, out decimal number)
    {
        number = 0;
        var end = text.Length;
        while (end > 0 && char.IsLetter(text[end - 1]) && text[end - 1] is not ('e' or 'E'))
        {
            end--;
        }
        var suffix = text[end..];
        var digits = text[..end];
        decimal multiplier;
        switch (suffix)
        {
            case "": multiplier = 1m; break;
            case "n": multiplier = 0.000000001m; break;
            case "u": multiplier = 0.000001m; break;
            case "m": multiplier = 0.001m; break;
            case "k": multiplier = 1e3m; break;
            case "M": multiplier = 1e6m; break;
            case "G": multiplier = 1e9m; break;
            case "T": multiplier = 1e12m; break;
            case "P": multiplier = 1e15m; break;
            case "E": multiplier = 1e18m; break;
            case "Ki": multiplier = 1024m; break;
            case "Mi": multiplier = 1024m * 1024; break;
            case "Gi": multiplier = 1024m * 1024 * 1024; break;
            case "Ti": multiplier = 1024m * 1024 * 1024 * 1024; break;
            case "Pi": multiplier = 1024m * 1024 * 1024 * 1024 * 1024; break;
            case "Ei": multiplier = 1024m * 1024 * 1024 * 1024 * 1024 * 1024; break;
            default: return false;
        }
        if (digits.Length == 0 || !decimal.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var mantissa))
        {
            return false;
        }
        number = mantissa * multiplier;
        return true;
    }

    public bool Equals(ResourceQuantity? other) => other is not null && ToDecimal() == other.ToDecimal();

    public override bool Equals(object? obj) => obj is ResourceQuantity other && Equals(other);

    public override int GetHashCode() => ToDecimal().GetHashCode();

    public override string ToString() => Value;

    public static implicit operator ResourceQuantity(string value) => new(value);
}
