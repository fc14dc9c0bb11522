using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Descriptors;

/// <summary>A stdio stream backed by a .NET <see cref="Stream"/> (captured output, in-memory input).</summary>
internal sealed class StreamDescriptor : Descriptor
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;

    public StreamDescriptor(Stream stream, bool ownsStream, Rights rights)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        Type = FileType.Unknown;
        Base = rights;
    }

    public override Errno Read(Span<byte> buffer, out int read, CancellationToken cancellation)
    {
        read = _stream.Read(buffer);
        return Errno.Success;
    }

    public override Errno Write(ReadOnlySpan<byte> data, out int written, CancellationToken cancellation)
    {
        _stream.Write(data);
        _stream.Flush();
        written = data.Length;
        return Errno.Success;
    }

    public override void Dispose()
    {
        if (_ownsStream) _stream.Dispose();
        else _stream.Flush();
    }
}
