namespace WasmKube.Bench.Kernels;

/// <summary>What one runtime produced for one kernel: the checksum and each call's wall time, or why it failed.</summary>
internal sealed record Measurement(uint Checksum, IReadOnlyList<double> Seconds, string? Error = null)
{
    public bool Succeeded => Error is null && Seconds.Count > 0;

    /// <summary>The fastest call: the least disturbed by the other work on a shared machine.</summary>
    public double Best => Seconds.Min();

    public static Measurement Failed(string error) => new(0, [], error);

    /// <summary>Joins the calls of several rounds; the first failure or a checksum that changes between calls wins.</summary>
    public static Measurement Combine(IReadOnlyList<Measurement> rounds)
    {
        if (rounds.FirstOrDefault(r => !r.Succeeded) is { } failed)
        {
            return failed;
        }

        var checksums = rounds.Select(r => r.Checksum).Distinct().ToList();
        return checksums.Count == 1
            ? new Measurement(checksums[0], [.. rounds.SelectMany(r => r.Seconds)])
            : Failed($"the checksum changed between calls: {string.Join(", ", checksums)}");
    }

    /// <summary>Parses the drivers' line "checksum=&lt;u32&gt; seconds=&lt;s1&gt;,&lt;s2&gt;,...".</summary>
    public static Measurement Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(field => field.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        if (!fields.TryGetValue("checksum", out var checksum) || !fields.TryGetValue("seconds", out var seconds))
        {
            return Failed($"unexpected driver output \"{line}\"");
        }

        return new Measurement(
            uint.Parse(checksum, System.Globalization.CultureInfo.InvariantCulture),
            [.. seconds.Split(',').Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture))]);
    }
}
