using System.Globalization;
using System.Net;
using System.Net.Sockets;
using WasmKube.Wasi;

namespace WasmKube.Cli;

/// <summary>Parses option values, naming the option and the expected form when a value is wrong.</summary>
internal static class OptionValues
{
    /// <summary>GUEST:HOST[:ro|:rw], or a single DIR used as both.</summary>
    public static WasiPreopen Directory(string value)
    {
        var parts = value.Split(':');
        var readOnly = false;
        if (parts.Length == 3 && parts[2] is "ro" or "rw")
        {
            readOnly = parts[2] == "ro";
            parts = parts[..2];
        }

        var (guest, host) = parts.Length switch
        {
            1 => (parts[0], parts[0]),
            2 => (parts[0], parts[1]),
            _ => throw new CliException($"--dir {value}: expected GUEST:HOST or GUEST:HOST:ro, e.g. --dir /docroot:./site:ro"),
        };
        if (guest.Length == 0 || host.Length == 0) throw new CliException($"--dir {value}: both the guest path and the host directory are needed, e.g. --dir /docroot:./site");
        if (!System.IO.Directory.Exists(host)) throw new CliException($"--dir {value}: host directory {host} does not exist");
        return new WasiPreopen(Path.GetFullPath(host), guest, readOnly);
    }

    /// <summary>NAME=VALUE, or NAME alone to pass the host's value of NAME.</summary>
    public static KeyValuePair<string, string> Environment(string value)
    {
        var equals = value.IndexOf('=');
        if (equals == 0) throw new CliException($"--env {value}: the variable name is missing; expected NAME=VALUE");
        if (equals > 0) return new(value[..equals], value[(equals + 1)..]);
        var hostValue = System.Environment.GetEnvironmentVariable(value)
            ?? throw new CliException($"--env {value}: expected NAME=VALUE (NAME alone passes the host's value, but {value} is not set here)");
        return new(value, hostValue);
    }

    /// <summary>HOST:PORT with an IP address or "localhost"; IPv6 as [::1]:8080.</summary>
    public static IPEndPoint Endpoint(string value)
    {
        if (IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':')) return endpoint;
        var colon = value.LastIndexOf(':');
        if (colon > 0 && int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            var host = value[..colon];
            if (host == "localhost") return new IPEndPoint(IPAddress.Loopback, port);
            if (host is "*" or "0.0.0.0") return new IPEndPoint(IPAddress.Any, port);
            try
            {
                var address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
                if (address is not null) return new IPEndPoint(address, port);
            }
            catch (SocketException)
            {
            }

            throw new CliException($"--listen {value}: cannot resolve host {host}");
        }

        throw new CliException($"--listen {value}: expected HOST:PORT, e.g. --listen 127.0.0.1:8080");
    }

    /// <summary>Bytes, with an optional K/M/G (powers of 1000) or Ki/Mi/Gi (powers of 1024) suffix, as in Kubernetes quantities.</summary>
    public static long Size(string value, string option)
    {
        var units = new (string Suffix, long Factor)[]
        {
            ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("K", 1_000), ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("B", 1),
        };
        foreach (var (suffix, factor) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal) && long.TryParse(value[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                return checked(count * factor);
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)) return bytes;
        throw new CliException($"{option} {value}: expected a size in bytes, e.g. 67108864, 64Mi or 64M");
    }

    /// <summary>A number with a unit: ms, s, m or h (e.g. 500ms, 30s, 2m), or a TimeSpan such as 00:01:30.</summary>
    public static TimeSpan Duration(string value, string option)
    {
        var units = new (string Suffix, double Milliseconds)[] { ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000) };
        foreach (var (suffix, milliseconds) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(value[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count)
                && count > 0)
                return TimeSpan.FromMilliseconds(count * milliseconds);
        }

        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero) return span;
        throw new CliException($"{option} {value}: expected a positive duration such as 500ms, 30s, 2m or 1h");
    }
}
