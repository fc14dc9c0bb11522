using System.Globalization;
using System.Text;

namespace WasmKube.Prometheus;

/// <summary>
/// Writes the Prometheus text exposition format, version 0.0.4 (docs: instrumenting/exposition_formats): HELP and
/// TYPE lines, then one line per sample; label values escape backslash, double quote and newline; HELP escapes
/// backslash and newline; values are Go-style floats (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>).
/// </summary>
public static class TextFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Write(TextWriter writer, IEnumerable<MetricFamily> families)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var line = new StringBuilder();
        foreach (var family in families)
        {
            if (!names.Add(family.Name))
                throw new InvalidOperationException($"metric family '{family.Name}' is collected twice; each name may be registered once");
            writer.Write("# HELP ");
            writer.Write(family.Name);
            writer.Write(' ');
            writer.Write(EscapeHelp(family.Help));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(family.Name);
            writer.Write(' ');
            writer.Write(family.Type.ToString().ToLowerInvariant());
            writer.Write('\n');
            foreach (var sample in family.Samples)
            {
                line.Clear();
                line.Append(family.Name).Append(sample.Suffix);
                AppendLabels(line, family.LabelNames, sample);
                line.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
                writer.Write(line);
            }
        }
    }

    public static string Write(IEnumerable<MetricFamily> families)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, families);
        return writer.ToString();
    }

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void AppendLabels(StringBuilder line, IReadOnlyList<string> names, MetricSample sample)
    {
        if (sample.LabelValues.Count != names.Count)
            throw new InvalidOperationException($"sample has {sample.LabelValues.Count} label values for {names.Count} label names");
        if (names.Count == 0 && sample.UpperBound is null) return;
        line.Append('{');
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0) line.Append(',');
            line.Append(names[i]).Append("=\"");
            AppendLabelValue(line, sample.LabelValues[i]);
            line.Append('"');
        }

        if (sample.UpperBound is { } bound)
        {
            if (names.Count > 0) line.Append(',');
            line.Append("le=\"").Append(FormatValue(bound)).Append('"');
        }

        line.Append('}');
    }

    private static void AppendLabelValue(StringBuilder line, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': line.Append("\\\\"); break;
                case '"': line.Append("\\\""); break;
                case '\n': line.Append("\\n"); break;
                default: line.Append(c); break;
            }
        }
    }

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
