using System.Globalization;
using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing.Http;

/// <summary>
/// Server-side printing (meta.k8s.io/v1 Table) as kubectl get requests it: Name first, then the type's columns
/// (additionalPrinterColumns for custom resources, Age when a CRD declares none). Date columns are rendered as
/// ages the way the CRD table convertor does (ConvertToHumanReadableDateType).
/// </summary>
internal static class TableConverter
{
    static readonly PrinterColumn DefaultAge = new("Age", "date", ".metadata.creationTimestamp");

    public static IReadOnlyList<PrinterColumn> Columns(ResourceType type) =>
        type.Columns.Count > 0 ? type.Columns : [DefaultAge];

    public static JsonObject Table(ResourceType type, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken, string includeObject, DateTimeOffset now)
    {
        var columns = Columns(type);
        var definitions = new JsonArray(new JsonObject
        {
            ["name"] = "Name",
            ["type"] = "string",
            ["format"] = "name",
            ["description"] = "Name must be unique within a namespace. Cannot be updated.",
            ["priority"] = 0,
        });
        foreach (var column in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray(JsonValue.Create((string?)obj["metadata"]?["name"] ?? ""));
            foreach (var column in columns)
            {
                cells.Add(Cell(column, obj, now));
            }
            var row = new JsonObject { ["cells"] = cells };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj.DeepClone();
                    break;
                default:
                    row["object"] = PartialMetadata(obj);
                    break;
            }
            rows.Add(row);
        }
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    public static JsonObject PartialMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        if (column.Compute is not null)
        {
            return column.Compute(obj) switch
            {
                null => null,
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                var other => JsonValue.Create(other.ToString()),
            };
        }
        var values = column.JsonPath is null ? [] : JsonPaths.Evaluate(obj, column.JsonPath);
        if (values.Count == 0 || values[0] is null)
        {
            return null;
        }
        var value = values.Count == 1 ? values[0] : new JsonArray(values.Select(v => v?.DeepClone()).ToArray());
        if (column.Type == "date")
        {
            return JsonValue.Create(JsonPaths.Scalar(value) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? HumanDuration(now - at)
                : "<invalid>");
        }
        return value is JsonValue ? value.DeepClone() : JsonValue.Create(value!.ToJsonString());
    }

    /// <summary>apimachinery duration.HumanDuration: "45s", "3m20s", "5h", "2d3h", "400d".</summary>
    public static string HumanDuration(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(-1))
        {
            return "<invalid>";
        }
        if (d < TimeSpan.Zero)
        {
            return "0s";
        }
        var seconds = (long)d.TotalSeconds;
        if (seconds < 120)
        {
            return $"{seconds}s";
        }
        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 180)
        {
            return $"{minutes}m";
        }
        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }
        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }
        return $"{hours / 24 / 365}y";
    }
}
