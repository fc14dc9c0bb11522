using System.Collections.Concurrent;
using System.Net.Sockets;
using Google.Protobuf;
using WasmKube.Shim.Protocol.Ttrpc;

namespace WasmKube.Shim.Ttrpc;

/// <summary>A ttrpc client over a unix socket: odd stream ids, responses matched by id.</summary>
public sealed class TtrpcClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<Response>> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _reader;
    private uint _nextStreamId = 1;

    private TtrpcClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = Task.Run(ReadLoopAsync);
    }

    public static async Task<TtrpcClient> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TtrpcClient(socket);
    }

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>Calls service/method; throws <see cref="TtrpcException"/> for a non-OK status.</summary>
    public Task<ByteString> CallAsync(string service, string method, IMessage payload, string? ns, CancellationToken cancellationToken) =>
        CallAsync(service, method, payload.ToByteString(), ns, cancellationToken);

    /// <summary>Calls with an already serialized payload.</summary>
    public async Task<ByteString> CallAsync(string service, string method, ByteString payload, string? ns, CancellationToken cancellationToken)
    {
        var request = new Request { Service = service, Method = method, Payload = payload };
        if (ns is not null)
        {
            request.Metadata.Add(new KeyValue { Key = "containerd-namespace-ttrpc", Value = ns });
        }

        var completion = new TaskCompletionSource<Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        uint id;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            id = _nextStreamId;
            _nextStreamId += 2;
            _pending[id] = completion;
            await _stream.WriteAsync(new TtrpcFrame(id, TtrpcFrame.RequestType, request.ToByteArray()).Encode(), cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }

        using var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        using var closedRegistration = _closed.Token.Register(() => completion.TrySetException(new IOException("ttrpc connection closed")));
        try
        {
            var response = await completion.Task;
            if (response.Status is { Code: not 0 } status)
            {
                throw new TtrpcException((StatusCode)status.Code, status.Message);
            }

            return response.Payload;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await TtrpcFrame.ReadAsync(_stream, _closed.Token) is { } frame)
            {
                if (frame.Type == TtrpcFrame.ResponseType && _pending.TryGetValue(frame.StreamId, out var completion))
                {
                    completion.TrySetResult(Response.Parser.ParseFrom(frame.Payload));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidProtocolBufferException)
        {
        }
        finally
        {
            _closed.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        await _stream.DisposeAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
