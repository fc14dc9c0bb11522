using System.Buffers.Binary;
using System.Text;

namespace WasmKube.Runtime.Binary;

/// <summary>
/// A cursor over one region (the module header, a section, a function body) of the module bytes. Reads never cross
/// <see cref="End"/>; offsets are module offsets, so errors point into the file.
/// </summary>
internal ref struct ByteReader
{
    private readonly string? section;

    public ByteReader(ReadOnlySpan<byte> data, int start, int end, string? section)
    {
        Data = data;
        Position = start;
        End = end;
        this.section = section;
    }

    /// <summary>The whole module.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public int Position { get; set; }

    public int End { get; }

    public readonly int Remaining => End - Position;

    public readonly bool AtEnd => Position >= End;

    public byte ReadByte(string reason = InstructionReader.UnexpectedEndReason)
    {
        if (Position >= End)
        {
            throw Malformed(reason, Position);
        }

        return Data[Position++];
    }

    public uint ReadUInt32LittleEndian()
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(Data.Slice(Position, 4));
        Position += 4;
        return value;
    }

    /// <summary>
    /// Reads a LEB128 u32. An encoding that runs past the region is judged against the whole module first, as the
    /// reference interpreter does, so that an overlong integer is reported as such rather than as a short region.
    /// </summary>
    public uint ReadU32()
    {
        var start = Position;
        var value = ReadU32PastEnd();
        if (Position > End)
        {
            Position = start;
            throw Malformed(UnexpectedEnd, End);
        }

        return value;
    }

    private uint ReadU32PastEnd()
    {
        var position = Position;
        var error = Leb128.ReadUInt32(Data, ref position, out var value);
        if (error != Leb128Error.None)
        {
            throw Malformed(error == Leb128Error.UnexpectedEnd ? UnexpectedEnd : Leb128.Describe(error), position);
        }

        Position = position;
        return value;
    }

    /// <summary>A byte-vector length (spec §5.2.3), checked against the bytes left in the region.</summary>
    public int ReadLength()
    {
        var length = ReadU32();
        if (length > (uint)Remaining)
        {
            throw Malformed(UnexpectedEnd, End);
        }

        return (int)length;
    }

    /// <summary>
    /// A UTF-8 name (spec §5.2.4); invalid encodings are malformed. A length beyond the end of the module is "length
    /// out of bounds", one beyond the region only an early end.
    /// </summary>
    public string ReadName()
    {
        var lengthOffset = Position;
        var declared = ReadU32PastEnd();
        if (declared > (uint)(Data.Length - Position))
        {
            throw Malformed("length out of bounds", lengthOffset);
        }

        if (Position > End || declared > (uint)Remaining)
        {
            throw Malformed(UnexpectedEnd, End);
        }

        var length = (int)declared;
        var start = Position;
        Position += length;
        try
        {
            return ModuleDecoder.DecodeName(Data.Slice(start, length));
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("malformed UTF-8 encoding", start);
        }
    }

    public ValueType ReadValueType()
    {
        var at = Position;
        var b = ReadByte();
        return InstructionReader.IsValueType(b) ? (ValueType)b : throw Malformed("malformed value type", at);
    }

    public ValueType ReadReferenceType()
    {
        var at = Position;
        var b = ReadByte();
        return b is (byte)ValueType.FuncRef or (byte)ValueType.ExternRef
            ? (ValueType)b
            : throw Malformed("malformed reference type", at);
    }

    public readonly MalformedModuleException Malformed(string reason, int offset) => new(reason, offset, section);

    private readonly string UnexpectedEnd => section is null ? "unexpected end" : InstructionReader.UnexpectedEndReason;
}
