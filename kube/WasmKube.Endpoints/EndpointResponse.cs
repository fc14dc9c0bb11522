using System.Globalization;
using System.Text;

namespace WasmKube.Endpoints;

/// <summary>
/// The answer an <see cref="EndpointHandler"/> writes. Status and content type may change until the body is longer
/// than one buffer; a body that fits goes out with Content-Length, a longer one streams in chunks (HTTP/1.1, RFC 9112
/// §7.1, so a cut-off answer is detectable) or until the connection closes (HTTP/1.0).
/// </summary>
public sealed class EndpointResponse
{
    internal const int BufferSize = 16 * 1024;

    private readonly Stream _connection;
    private readonly bool _chunked;
    private readonly bool _headOnly;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _buffered;

    internal EndpointResponse(Stream connection, bool http11, bool headOnly)
    {
        _connection = connection;
        _chunked = http11;
        _headOnly = headOnly;
        Body = new BodyStream(this);
    }

    public int StatusCode { get; set; } = 200;

    public string ContentType { get; set; } = "text/plain; charset=utf-8";

    /// <summary>Write-only body; buffered, so small writes are cheap.</summary>
    public Stream Body { get; }

    /// <summary>True once the status line went out; from then on a failure can only cut the connection.</summary>
    public bool HasStarted { get; private set; }

    public Task WriteAsync(string text, CancellationToken cancellationToken = default) =>
        Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();

    /// <summary>Sends what is buffered and ends the body.</summary>
    internal async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (!HasStarted)
        {
            await WriteHeadAsync($"Content-Length: {_buffered.ToString(CultureInfo.InvariantCulture)}", cancellationToken).ConfigureAwait(false);
            if (!_headOnly)
            {
                await _connection.WriteAsync(_buffer.AsMemory(0, _buffered), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await SendBufferedAsync(cancellationToken).ConfigureAwait(false);
            if (_chunked && !_headOnly)
            {
                await _connection.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (_buffered == _buffer.Length)
            {
                if (!HasStarted)
                {
                    await WriteHeadAsync(_chunked ? "Transfer-Encoding: chunked" : null, cancellationToken).ConfigureAwait(false);
                }
                await SendBufferedAsync(cancellationToken).ConfigureAwait(false);
            }
            var count = Math.Min(data.Length, _buffer.Length - _buffered);
            data[..count].CopyTo(_buffer.AsMemory(_buffered));
            _buffered += count;
            data = data[count..];
        }
    }

    private async Task SendBufferedAsync(CancellationToken cancellationToken)
    {
        if (_buffered > 0 && !_headOnly)
        {
            if (_chunked)
            {
                await _connection.WriteAsync(Encoding.ASCII.GetBytes($"{_buffered:x}\r\n"), cancellationToken).ConfigureAwait(false);
                await _connection.WriteAsync(_buffer.AsMemory(0, _buffered), cancellationToken).ConfigureAwait(false);
                await _connection.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _connection.WriteAsync(_buffer.AsMemory(0, _buffered), cancellationToken).ConfigureAwait(false);
            }
        }
        _buffered = 0;
    }

    private async Task WriteHeadAsync(string? framing, CancellationToken cancellationToken)
    {
        HasStarted = true;
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {StatusCode} {ReasonPhrase(StatusCode)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {ContentType}\r\n");
        if (framing is not null)
        {
            head.Append(framing).Append("\r\n");
        }
        // One request per connection: probes and scrapes are seconds apart, and no request body ever needs skipping.
        head.Append("Connection: close\r\n\r\n");
        await _connection.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
    }

    internal static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    };

    private sealed class BodyStream(EndpointResponse response) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            response.AppendAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            response.AppendAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) =>
            response.AppendAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        // The body goes out when the handler returns; an explicit flush has nothing to add.
        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
