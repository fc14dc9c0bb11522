using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WasmKube.Endpoints;

/// <summary>Writes the answer to one GET (or HEAD) of a mapped path.</summary>
public delegate Task EndpointHandler(EndpointResponse response, CancellationToken cancellationToken);

/// <summary>
/// A small HTTP/1.1 server for what kubelet and Prometheus ask of an operator or agent: GET of a few fixed paths
/// (/healthz, /readyz, /metrics). It answers one request per connection and nothing else, which keeps a web
/// framework (and the memory it maps) out of processes whose real work is elsewhere. Runs as a hosted service.
/// </summary>
public sealed class EndpointServer : IHostedService, IDisposable
{
    /// <summary>Longest request head accepted (request line plus headers); probes and scrapes send a few hundred bytes.</summary>
    public const int MaxRequestHeadBytes = 8 * 1024;

    private const int MaxConnections = 64;
    private static readonly TimeSpan RequestHeadTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(60);

    private readonly EndpointAddress _address;
    private readonly ILogger _logger;
    private readonly Dictionary<string, EndpointHandler> _routes = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _accepting;

    public EndpointServer(EndpointAddress address, ILogger<EndpointServer>? logger = null)
    {
        _address = address;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The bound address once started (with the real port when 0 was asked for).</summary>
    public IPEndPoint? LocalEndpoint => (IPEndPoint?)_listener?.LocalEndPoint;

    /// <summary>A URL for the bound address that a local client can use (loopback when bound to every address).</summary>
    public Uri? LocalUrl => LocalEndpoint is { } bound
        ? new Uri($"http://{new IPEndPoint(_address.IsAny ? IPAddress.Loopback : bound.Address, bound.Port)}/")
        : null;

    private string ServedPaths => string.Join(", ", _routes.Keys.Order(StringComparer.Ordinal));

    /// <summary>Serves GET and HEAD of <paramref name="path"/> (exact match; the query string is ignored). Map before starting.</summary>
    public EndpointServer Map(string path, EndpointHandler handler)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("Map paths before the server starts.");
        }
        _routes[path] = handler;
        return this;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = Bind(_address);
        _logger.LogInformation("Serving {Paths} on {Url}", ServedPaths, $"http://{LocalEndpoint}");
        _accepting = AcceptAsync(_listener);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_accepting is null)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener!.Dispose();
        await _accepting.ConfigureAwait(false);
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }
        await Task.WhenAll(open).WaitAsync(cancellationToken).ConfigureAwait(false);
        _accepting = null;
    }

    /// <summary>Closes the listener; connections still open end at their next read or write.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _listener?.Dispose();
    }

    private static Socket Bind(EndpointAddress address)
    {
        var any = address.IsAny && Socket.OSSupportsIPv6;
        var endpoint = new IPEndPoint(any ? IPAddress.IPv6Any : address.Address, address.Port);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (any)
            {
                socket.DualMode = true;
            }
            // SO_REUSEADDR alone, so a restarted process can rebind while its predecessor's connections sit in
            // TIME_WAIT. (SocketOptionName.ReuseAddress also sets SO_REUSEPORT on Linux, which would let a second
            // process bind the same port without an error.) Linux values: SOL_SOCKET 1, SO_REUSEADDR 2.
            socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
            socket.Bind(endpoint);
            socket.Listen(128);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"Cannot listen on {address}: {e.Message}. Choose another address or free the port.", e);
        }
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or a connection reset before accept: the listener itself is fine.
                _logger.LogWarning("Accepting a connection failed: {Message}", e.Message);
                continue;
            }
            lock (_connections)
            {
                if (_connections.Count >= MaxConnections)
                {
                    connection.Dispose();
                    continue;
                }
                var serving = ServeAsync(connection);
                _connections.Add(serving);
                _ = serving.ContinueWith(done => Forget(done), TaskScheduler.Default);
            }
        }
    }

    private void Forget(Task connection)
    {
        lock (_connections)
        {
            _connections.Remove(connection);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        deadline.CancelAfter(ConnectionTimeout);
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var request = await ReadRequestAsync(stream, deadline.Token).ConfigureAwait(false);
            var response = new EndpointResponse(stream, request.Http11, request.Method == "HEAD");
            await HandleAsync(request, response, deadline.Token).ConfigureAwait(false);
            await response.CompleteAsync(deadline.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
            await DrainAsync(stream, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, was too slow, or the server is stopping: nothing is owed to anyone.
        }
        catch (Exception e)
        {
            // A handler failed after its answer had started; cutting the connection tells the client it is incomplete.
            _logger.LogError(e, "Answering a request failed");
        }
    }

    /// <summary>
    /// Reads what the client still sends (an unread body, the rest of an oversized head) until it closes, briefly:
    /// closing with unread data would reset the connection and could destroy the answer in flight (RFC 9112 §9.6).
    /// </summary>
    private static async Task DrainAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(TimeSpan.FromSeconds(2));
        var sink = new byte[4096];
        while (await stream.ReadAsync(sink, linger.Token).ConfigureAwait(false) > 0)
        {
        }
    }

    private async Task HandleAsync(Request request, EndpointResponse response, CancellationToken cancellationToken)
    {
        if (request.Error is { } error)
        {
            response.StatusCode = error.Status;
            await response.WriteAsync(error.Message + "\n", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!_routes.TryGetValue(request.Path, out var handler))
        {
            response.StatusCode = 404;
            await response.WriteAsync($"No endpoint at {request.Path}; this server has {ServedPaths}.\n", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (request.Method is not ("GET" or "HEAD"))
        {
            response.StatusCode = 405;
            await response.WriteAsync($"{request.Method} is not served; use GET.\n", cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await handler(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!response.HasStarted && e is not OperationCanceledException)
        {
            _logger.LogError(e, "The handler of {Path} failed", request.Path);
            response.StatusCode = 500;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"{request.Path} failed: {e.Message}\n", cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Request(string Method, string Path, bool Http11, (int Status, string Message)? Error = null);

    /// <summary>Reads the request line and headers (RFC 9112 §2–3); a request this server cannot take carries its error.</summary>
    private static async Task<Request> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headTimeout.CancelAfter(RequestHeadTimeout);
        var buffer = new byte[MaxRequestHeadBytes];
        var length = 0;
        int end;
        while ((end = EndOfHead(buffer.AsSpan(0, length))) < 0)
        {
            if (length == buffer.Length)
            {
                return new Request("GET", "/", false, (431, $"The request head is longer than {MaxRequestHeadBytes} bytes."));
            }
            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(length), headTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new Request("GET", "/", false, (408, "The request head did not arrive in time."));
            }
            if (read == 0)
            {
                throw new IOException("The client closed the connection before sending a request.");
            }
            length += read;
        }

        var lines = Encoding.Latin1.GetString(buffer, 0, end).Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[2].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return new Request("GET", "/", false, (400, "Malformed request line; expected 'GET /path HTTP/1.1'."));
        }
        var (method, target, version) = (parts[0], parts[1], parts[2]);
        if (version is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            return new Request(method, "/", false, (505, $"{version} is not supported; use HTTP/1.1."));
        }
        var http11 = version == "HTTP/1.1";
        if (http11 && !lines.Skip(1).Any(line => line.StartsWith("host:", StringComparison.OrdinalIgnoreCase)))
        {
            return new Request(method, "/", true, (400, "An HTTP/1.1 request needs a Host header."));
        }
        // Absolute form (http://host/path), which proxies send, names the same path.
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var slash = target.IndexOf('/', "http://".Length);
            target = slash < 0 ? "/" : target[slash..];
        }
        if (!target.StartsWith('/'))
        {
            return new Request(method, "/", http11, (400, $"Request target '{target}' is not a path."));
        }
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return new Request(method, query < 0 ? target : target[..query], http11);
    }

    /// <summary>Length of the head up to its blank line (CRLF CRLF, or bare LFs as RFC 9112 §2.2 allows), or -1.</summary>
    private static int EndOfHead(ReadOnlySpan<byte> data)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        return (crlf, lf) switch
        {
            (< 0, < 0) => -1,
            (>= 0, < 0) => crlf + 2,
            (< 0, >= 0) => lf + 1,
            _ => Math.Min(crlf + 2, lf + 1),
        };
    }
}
