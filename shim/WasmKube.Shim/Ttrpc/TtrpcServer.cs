using System.Net.Sockets;
using Google.Protobuf;
using WasmKube.Shim.Protocol.Ttrpc;
using ProtoStatus = WasmKube.Shim.Protocol.Ttrpc.Status;

namespace WasmKube.Shim.Ttrpc;

/// <summary>
/// A ttrpc server on a listening unix socket. Requests on a connection are served concurrently (Wait blocks while
/// other calls go on) and answered on their own stream id.
/// </summary>
public sealed class TtrpcServer(Socket listener, TtrpcHandler handler, Action<string> log)
{
    private int _connections;

    /// <summary>Open connections; the shim lingers while containerd is connected.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeConnectionAsync(client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeConnectionAsync(Socket client, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _connections);
        var writeLock = new SemaphoreSlim(1, 1);
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            while (await TtrpcFrame.ReadAsync(stream, cancellationToken) is { } frame)
            {
                if (frame.Type != TtrpcFrame.RequestType)
                {
                    continue;
                }

                _ = Task.Run(() => AnswerAsync(stream, writeLock, frame, cancellationToken), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    private async Task AnswerAsync(Stream stream, SemaphoreSlim writeLock, TtrpcFrame frame, CancellationToken cancellationToken)
    {
        var response = new Response();
        try
        {
            if (frame.Oversized)
            {
                throw new TtrpcException(StatusCode.ResourceExhausted, $"message larger than {TtrpcFrame.MaxPayload} bytes");
            }

            Request request;
            try
            {
                request = Request.Parser.ParseFrom(frame.Payload);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new TtrpcException(StatusCode.InvalidArgument, "unparsable ttrpc request: " + e.Message);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (request.TimeoutNano > 0)
            {
                timeout.CancelAfter(TimeSpan.FromTicks(request.TimeoutNano / 100));
            }

            var result = await handler(request, timeout.Token);
            response.Payload = result.ToByteString();
        }
        catch (TtrpcException e)
        {
            response.Status = new ProtoStatus { Code = (int)e.Code, Message = e.Message };
        }
        catch (InvalidProtocolBufferException e)
        {
            response.Status = new ProtoStatus { Code = (int)StatusCode.InvalidArgument, Message = e.Message };
        }
        catch (OperationCanceledException)
        {
            response.Status = new ProtoStatus { Code = (int)StatusCode.DeadlineExceeded, Message = "request timed out" };
        }
        catch (Exception e)
        {
            log($"request failed: {e}");
            response.Status = new ProtoStatus { Code = (int)StatusCode.Unknown, Message = e.Message };
        }

        var bytes = new TtrpcFrame(frame.StreamId, TtrpcFrame.ResponseType, response.ToByteArray()).Encode();
        await writeLock.WaitAsync(CancellationToken.None);
        try
        {
            await stream.WriteAsync(bytes, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        finally
        {
            writeLock.Release();
        }
    }
}
