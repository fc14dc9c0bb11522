using System.Globalization;
using System.Text;

namespace WasmKube.Contracts;

/// <summary>
/// The values of the limit annotations (<see cref="PodAnnotations.MaxMemory"/>, <see cref="PodAnnotations.Fuel"/>,
/// <see cref="PodAnnotations.Timeout"/>): their parsers and the forms users are told to write.
/// </summary>
public static class LimitValues
{
    public const string MaxMemoryForm = "a Kubernetes quantity of bytes greater than 0, e.g. 67108864, 64Mi, 512M or 1e9";

    public const string FuelForm = "a whole number of fuel units, 0 or more, e.g. 1000000";

    public const string TimeoutForm = "a positive duration with units ns, us, ms, s, m or h, e.g. 500ms, 30s or 1m30s";

    private static readonly (string Suffix, decimal Factor)[] QuantitySuffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50), ("Ei", 1L << 60),
        ("n", 1e-9m), ("u", 1e-6m), ("m", 1e-3m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    /// <summary>
    /// A Kubernetes quantity as a whole number of bytes: a decimal number (fraction allowed) with an optional binary
    /// (Ki … Ei), decimal (n u m k M G T P E) or exponent (e3, E-2) suffix; a fraction of a byte rounds up, as
    /// Kubernetes' Value() does. False when it is not a quantity, not positive or beyond a long.
    /// </summary>
    public static bool TryParseQuantity(string text, out long bytes)
    {
        bytes = 0;
        var number = text.Trim();
        var factor = 1m;
        // A trailing E is exa; an E followed by digits is an exponent.
        var exponent = number.IndexOfAny(['e', 'E']);
        if (exponent >= 0 && exponent < number.Length - 1)
        {
            if (!int.TryParse(number.AsSpan(exponent + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var power) || power is < -18 or > 18)
                return false;
            factor = Pow10(power);
            number = number[..exponent];
        }
        else
        {
            foreach (var (suffix, multiplier) in QuantitySuffixes)
            {
                if (!number.EndsWith(suffix, StringComparison.Ordinal)) continue;
                factor = multiplier;
                number = number[..^suffix.Length];
                break;
            }
        }

        if (number.Length == 0 || number.Any(c => c is not (>= '0' and <= '9' or '.' or '+')) || number.LastIndexOf('+') > 0 || number == "." || number == "+"
            || !decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return false;
        try
        {
            var total = Math.Ceiling(value * factor);
            if (total <= 0 || total > long.MaxValue) return false;
            bytes = (long)total;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>A whole number, 0 or more.</summary>
    public static bool TryParseFuel(string text, out long fuel) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out fuel);

    /// <summary>
    /// A duration as Go's time.ParseDuration reads it (a sequence of decimal numbers, each with a unit: ns, us, µs,
    /// ms, s, m, h), positive; precision is that of <see cref="TimeSpan"/> (100 ns).
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var rest = text.Trim();
        if (rest.Length == 0) return false;
        if (rest[0] == '+') rest = rest[1..];
        var total = 0m;
        while (rest.Length > 0)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.')) digits++;
            var unit = digits;
            while (unit < rest.Length && !char.IsAsciiDigit(rest[unit]) && rest[unit] != '.') unit++;
            var number = rest[..digits];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                return false;
            decimal? nanoseconds = rest[digits..unit] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1e3m,
                "ms" => 1e6m,
                "s" => 1e9m,
                "m" => 60e9m,
                "h" => 3600e9m,
                _ => null,
            };
            if (nanoseconds is not { } scale || value > MaxDurationNanoseconds / scale) return false;
            total += value * scale;
            if (total > MaxDurationNanoseconds) return false;
            rest = rest[unit..];
        }

        duration = TimeSpan.FromTicks((long)Math.Ceiling(total / 100));
        return duration > TimeSpan.Zero;
    }

    /// <summary>A duration the way the annotation writes it: 1h2m3.5s, 1m30s, 500ms, 250us.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.Ticks % TimeSpan.TicksPerMillisecond == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / TimeSpan.TicksPerMillisecond}ms")
                : string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / 10.0:0.#}us");
        }

        var text = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0) text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        if (hours > 0 || duration.Minutes > 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        var seconds = duration.Seconds + (duration.Ticks % TimeSpan.TicksPerSecond) / (decimal)TimeSpan.TicksPerSecond;
        text.Append(CultureInfo.InvariantCulture, $"{seconds:0.#######}s");
        return text.ToString();
    }

    private static readonly decimal MaxDurationNanoseconds = TimeSpan.MaxValue.Ticks * 100m;

    private static decimal Pow10(int power)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(power); i++) result *= 10;
        return power < 0 ? 1 / result : result;
    }
}
