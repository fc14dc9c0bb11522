using System.Globalization;

namespace WasmKube.Cgroups;

/// <summary>
/// Reads cgroup interface files: single numbers (<c>memory.current</c>, <c>cpuacct.usage</c>) and "key value" lines
/// (<c>cpu.stat</c>, <c>memory.stat</c>). A file that is missing, vanishes while read (the cgroup was removed) or
/// holds no plain number ("max", -1) reads as absent.
/// </summary>
public static class CgroupFiles
{
    public static ulong? TryReadNumber(string file)
    {
        try
        {
            var text = File.ReadAllText(file).Trim();
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static ulong ReadNumber(string file) => TryReadNumber(file) ?? 0;

    public static Dictionary<string, ulong> KeyValues(string file)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && ulong.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    values[line[..space]] = value;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cgroup went away while being read: what was read so far, possibly nothing.
        }

        return values;
    }
}
