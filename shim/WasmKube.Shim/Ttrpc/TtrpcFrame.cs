using System.Buffers.Binary;
using System.Net.Sockets;

namespace WasmKube.Shim.Ttrpc;

/// <summary>
/// One ttrpc frame: a 10-byte header (payload length and stream id, both uint32 big-endian, message type, flags)
/// followed by the payload (github.com/containerd/ttrpc channel.go).
/// </summary>
internal readonly record struct TtrpcFrame(uint StreamId, byte Type, byte[] Payload)
{
    public const byte RequestType = 1;
    public const byte ResponseType = 2;
    public const int HeaderLength = 10;
    public const int MaxPayload = 4 << 20;

    /// <summary>Reads the next frame; null at a clean end of stream.</summary>
    public static async Task<TtrpcFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        if (!await ReadExactlyOrEndAsync(stream, header, cancellationToken))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        var streamId = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        if (length > MaxPayload)
        {
            // Drain the oversized payload so the connection stays usable; the caller answers ResourceExhausted.
            var skip = new byte[64 * 1024];
            for (long left = length; left > 0;)
            {
                var n = await stream.ReadAsync(skip.AsMemory(0, (int)Math.Min(left, skip.Length)), cancellationToken);
                if (n == 0)
                {
                    return null;
                }

                left -= n;
            }

            return new TtrpcFrame(streamId, header[8], []) { Oversized = true };
        }

        var payload = new byte[length];
        if (!await ReadExactlyOrEndAsync(stream, payload, cancellationToken))
        {
            return null;
        }

        return new TtrpcFrame(streamId, header[8], payload);
    }

    public bool Oversized { get; init; }

    public byte[] Encode()
    {
        var buffer = new byte[HeaderLength + Payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)Payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), StreamId);
        buffer[8] = Type;
        Payload.CopyTo(buffer.AsSpan(HeaderLength));
        return buffer;
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            }
            catch (IOException e) when (e.InnerException is SocketException)
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
