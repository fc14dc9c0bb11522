using System.Globalization;
using System.Net;

namespace WasmKube.Endpoints;

/// <summary>
/// Where an <see cref="EndpointServer"/> listens, in the spellings operators and agents take as flags:
/// <c>:8081</c> or <c>0.0.0.0:8081</c> (every address), <c>127.0.0.1:8081</c>, <c>[::1]:8081</c>, <c>localhost:8081</c>,
/// or the same as a URL (<c>http://0.0.0.0:9464</c>). Port 0 picks a free port.
/// </summary>
public sealed record EndpointAddress(IPAddress Address, int Port)
{
    /// <summary>Every local address: IPv6 and IPv4 on a dual-mode socket where the host has IPv6, else IPv4.</summary>
    public bool IsAny => Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ArgumentException"/> saying which forms are accepted.</summary>
    public static EndpointAddress Parse(string text)
    {
        var rest = text.Trim();
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            if (!rest[..scheme].Equals("http", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(text, "only http:// is served");
            }
            rest = rest[(scheme + 3)..].TrimEnd('/');
        }
        var colon = rest.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw Invalid(text, "a port is missing or out of range");
        }
        var host = rest[..colon];
        IPAddress address;
        if (host is "" or "*" or "+" or "0.0.0.0")
        {
            address = IPAddress.Any;
        }
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out address!))
        {
            throw Invalid(text, $"'{host}' is not an IP address");
        }
        return new EndpointAddress(address, port);
    }

    public override string ToString() => new IPEndPoint(IsAny ? IPAddress.Any : Address, Port).ToString();

    private static ArgumentException Invalid(string text, string reason) =>
        new($"Listen address '{text}': {reason}. Use :PORT, IP:PORT, [IPv6]:PORT or http://IP:PORT.");
}
