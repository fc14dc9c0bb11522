using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google.Protobuf;

namespace WasmKube.Testing.Cri;

/// <summary>
/// A minimal CRI client, as kubelet talks to containerd: gRPC over HTTP/2 with prior knowledge on the unix socket,
/// length-prefixed protobuf messages (gRPC over HTTP/2 protocol: 1 byte compressed flag, 4 bytes big-endian length),
/// status in the grpc-status trailer.
/// </summary>
public sealed class CriClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = new Uri("http://localhost"),
        Timeout = TimeSpan.FromSeconds(120),
    };

    public Task<TResponse> RuntimeAsync<TResponse>(string method, IMessage request)
        where TResponse : IMessage<TResponse>, new() => CallAsync<TResponse>("runtime.v1.RuntimeService", method, request);

    public async Task<TResponse> CallAsync<TResponse>(string service, string method, IMessage request)
        where TResponse : IMessage<TResponse>, new()
    {
        var body = request.ToByteArray();
        var framed = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)body.Length);
        body.CopyTo(framed, 5);
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/{service}/{method}")
        {
            Content = new ByteArrayContent(framed),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await _http.SendAsync(message);
        var payload = await response.Content.ReadAsByteArrayAsync();
        var status = Header(response, "grpc-status") ?? "0";
        if (status != "0")
        {
            throw new CriException(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
                Uri.UnescapeDataString(Header(response, "grpc-message") ?? ""));
        }

        if (payload.Length < 5)
        {
            throw new CriException(13, $"{method}: empty gRPC response (HTTP {(int)response.StatusCode})");
        }

        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1));
        var parser = new MessageParser<TResponse>(() => new TResponse());
        return parser.ParseFrom(payload, 5, length);
    }

    /// <summary>gRPC puts the status in trailers, or in headers for a trailers-only response.</summary>
    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
        : response.Headers.TryGetValues(name, out var header) ? header.First() : null;

    public void Dispose() => _http.Dispose();
}
