using System.Text.RegularExpressions;

namespace WasmKube.Prometheus;

/// <summary>Name rules of the Prometheus data model (docs: concepts/data_model, "Metric names and labels").</summary>
public static partial class MetricNames
{
    public static void CheckMetricName(string name)
    {
        if (!MetricNamePattern().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a valid metric name: use letters, digits, '_' and ':', not starting with a digit", nameof(name));
    }

    public static void CheckLabelNames(IReadOnlyList<string> labelNames)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labelNames)
        {
            if (!LabelNamePattern().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
                throw new ArgumentException($"'{label}' is not a valid label name: use letters, digits and '_', not starting with a digit or '__'", nameof(labelNames));
            if (label == "le")
                throw new ArgumentException("'le' is reserved for histogram buckets", nameof(labelNames));
            if (!seen.Add(label)) throw new ArgumentException($"label '{label}' is given twice", nameof(labelNames));
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricNamePattern();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelNamePattern();
}
