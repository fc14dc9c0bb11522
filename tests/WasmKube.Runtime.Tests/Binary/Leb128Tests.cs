using WasmKube.Runtime.Binary;

namespace WasmKube.Runtime.Tests.Binary;

public sealed class Leb128Tests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, 0u)]
    [InlineData(new byte[] { 0x7F }, 127u)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128u)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0u)] // padded to the maximum length
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, uint.MaxValue)]
    public void ReadsUnsigned32(byte[] encoding, uint expected)
    {
        var position = 0;
        Assert.Equal(Leb128Error.None, Leb128.ReadUInt32(encoding, ref position, out var value));
        Assert.Equal(expected, value);
        Assert.Equal(encoding.Length, position);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, Leb128Error.TooLarge)] // bit 32 set
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, Leb128Error.TooLarge)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, Leb128Error.TooLong)]
    [InlineData(new byte[] { 0x80, 0x80 }, Leb128Error.UnexpectedEnd)]
    [InlineData(new byte[] { }, Leb128Error.UnexpectedEnd)]
    public void RejectsBadUnsigned32(byte[] encoding, Leb128Error expected)
    {
        var position = 0;
        Assert.Equal(expected, Leb128.ReadUInt32(encoding, ref position, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x7F }, -1)]
    [InlineData(new byte[] { 0x40 }, -64)]
    [InlineData(new byte[] { 0x3F }, 63)]
    [InlineData(new byte[] { 0xC0, 0x00 }, 64)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, int.MinValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, int.MaxValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, -1)] // padded negative
    public void ReadsSigned32(byte[] encoding, int expected)
    {
        var position = 0;
        Assert.Equal(Leb128Error.None, Leb128.ReadInt32(encoding, ref position, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x08 }, Leb128Error.TooLarge)] // 2^31 does not fit
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x77 }, Leb128Error.TooLarge)] // sign bits disagree
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, Leb128Error.TooLong)]
    public void RejectsBadSigned32(byte[] encoding, Leb128Error expected)
    {
        var position = 0;
        Assert.Equal(expected, Leb128.ReadInt32(encoding, ref position, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F }, long.MinValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 }, long.MaxValue)]
    public void ReadsSigned64Extremes(byte[] encoding, long expected)
    {
        var position = 0;
        Assert.Equal(Leb128Error.None, Leb128.ReadInt64(encoding, ref position, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })] // bit 63 positive would overflow
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7E })]
    public void RejectsSigned64WithStrayBits(byte[] encoding)
    {
        var position = 0;
        Assert.Equal(Leb128Error.TooLarge, Leb128.ReadInt64(encoding, ref position, out _));
    }

    [Fact]
    public void RoundTripsUnsigned64()
    {
        var random = new Random(1234);
        for (var i = 0; i < 1000; i++)
        {
            var value = (ulong)random.NextInt64() << random.Next(0, 2);
            var bytes = new List<byte>();
            var rest = value;
            do
            {
                var b = (byte)(rest & 0x7F);
                rest >>= 7;
                bytes.Add(rest == 0 ? b : (byte)(b | 0x80));
            }
            while (rest != 0);

            var position = 0;
            Assert.Equal(Leb128Error.None, Leb128.ReadUInt64(bytes.ToArray(), ref position, out var decoded));
            Assert.Equal(value, decoded);
        }
    }

    [Fact]
    public void DescribesErrorsWithSpecWording()
    {
        Assert.Equal("integer representation too long", Leb128.Describe(Leb128Error.TooLong));
        Assert.Equal("integer too large", Leb128.Describe(Leb128Error.TooLarge));
        Assert.Equal("unexpected end", Leb128.Describe(Leb128Error.UnexpectedEnd));
    }
}
