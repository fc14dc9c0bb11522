namespace WasmKube.Runtime.Binary;

/// <summary>Why a LEB128 read failed; <see cref="Leb128.Describe"/> gives the spec suite's wording.</summary>
public enum Leb128Error : byte
{
    None,
    UnexpectedEnd,
    /// <summary>More bytes than <c>ceil(N / 7)</c> for an N-bit integer.</summary>
    TooLong,
    /// <summary>The last byte sets bits beyond N (unsigned) or bits that disagree with the sign (signed).</summary>
    TooLarge,
}

/// <summary>
/// LEB128 integer decoding (spec §5.2.2). The spec bounds every encoding to <c>ceil(N / 7)</c> bytes and requires the
/// unused bits of the last byte to be zero (unsigned) or copies of the sign bit (signed). Readers return an error
/// code instead of throwing so that each caller can raise its own error with its own section and offset.
/// </summary>
public static class Leb128
{
    public static Leb128Error ReadUInt32(ReadOnlySpan<byte> data, ref int position, out uint value)
    {
        var error = ReadUnsigned(data, ref position, 32, out var wide);
        value = (uint)wide;
        return error;
    }

    public static Leb128Error ReadUInt64(ReadOnlySpan<byte> data, ref int position, out ulong value) =>
        ReadUnsigned(data, ref position, 64, out value);

    public static Leb128Error ReadInt32(ReadOnlySpan<byte> data, ref int position, out int value)
    {
        var error = ReadSigned(data, ref position, 32, out var wide);
        value = (int)wide;
        return error;
    }

    public static Leb128Error ReadInt64(ReadOnlySpan<byte> data, ref int position, out long value) =>
        ReadSigned(data, ref position, 64, out value);

    /// <summary>The signed 33-bit form used by block types (spec §5.4.1).</summary>
    public static Leb128Error ReadInt33(ReadOnlySpan<byte> data, ref int position, out long value) =>
        ReadSigned(data, ref position, 33, out value);

    /// <summary>The spec test suite's wording for <paramref name="error"/>.</summary>
    public static string Describe(Leb128Error error) => error switch
    {
        Leb128Error.UnexpectedEnd => "unexpected end",
        Leb128Error.TooLong => "integer representation too long",
        Leb128Error.TooLarge => "integer too large",
        _ => "no error",
    };

    private static Leb128Error ReadUnsigned(ReadOnlySpan<byte> data, ref int position, int bits, out ulong value)
    {
        value = 0;
        var maxBytes = (bits + 6) / 7;
        var pos = position;
        for (var i = 0; ; i++)
        {
            if (i == maxBytes)
            {
                position = pos;
                return Leb128Error.TooLong;
            }

            if ((uint)pos >= (uint)data.Length)
            {
                position = pos;
                return Leb128Error.UnexpectedEnd;
            }

            var b = data[pos++];
            var shift = 7 * i;
            if (i == maxBytes - 1)
            {
                // Payload bits that do not fit in `bits` must be zero, and no further byte may follow
                // (checked in this order, as the reference interpreter does).
                var usable = bits - shift;
                if (((b & 0x7F) >> usable) != 0)
                {
                    position = pos - 1;
                    return Leb128Error.TooLarge;
                }

                if ((b & 0x80) != 0)
                {
                    position = pos;
                    return Leb128Error.TooLong;
                }
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                position = pos;
                return Leb128Error.None;
            }
        }
    }

    private static Leb128Error ReadSigned(ReadOnlySpan<byte> data, ref int position, int bits, out long value)
    {
        value = 0;
        var maxBytes = (bits + 6) / 7;
        var pos = position;
        for (var i = 0; ; i++)
        {
            if (i == maxBytes)
            {
                position = pos;
                return Leb128Error.TooLong;
            }

            if ((uint)pos >= (uint)data.Length)
            {
                position = pos;
                return Leb128Error.UnexpectedEnd;
            }

            var b = data[pos++];
            var shift = 7 * i;
            if (i == maxBytes - 1)
            {
                // The payload bits from the N-bit value's sign bit upwards must all equal that sign bit.
                var usable = bits - shift;
                var high = (b & 0x7F) >> (usable - 1);
                if (high != 0 && high != 0x7F >> (usable - 1))
                {
                    position = pos - 1;
                    return Leb128Error.TooLarge;
                }

                if ((b & 0x80) != 0)
                {
                    position = pos;
                    return Leb128Error.TooLong;
                }
            }

            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                shift += 7;
                if (shift < 64 && (b & 0x40) != 0)
                {
                    value |= -1L << shift;
                }

                position = pos;
                return Leb128Error.None;
            }
        }
    }
}
