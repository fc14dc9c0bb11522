using System.Runtime.Intrinsics;
using WasmKube.Runtime.Binary;

namespace WasmKube.Runtime.Tests.Binary;

public sealed class InstructionReaderTests
{
    private static Instruction ReadSingle(byte[] code, int baseOffset = 0)
    {
        var reader = new InstructionReader(code, baseOffset);
        reader.Read(out var instruction);
        Assert.True(reader.AtEnd, "the reader should consume exactly the instruction's bytes");
        return instruction;
    }

    private static MalformedModuleException ReadFails(byte[] code) =>
        Assert.Throws<MalformedModuleException>(() =>
        {
            var reader = new InstructionReader(code, 100);
            while (!reader.AtEnd)
            {
                reader.Read(out _);
            }
        });

    [Fact]
    public void ReadsSignedConstants()
    {
        Assert.Equal(-1, ReadSingle([0x41, 0x7F]).I32);
        Assert.Equal(long.MinValue, ReadSingle([0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F]).I64);
    }

    [Fact]
    public void KeepsFloatBitsExactly()
    {
        // A signalling NaN with payload: must survive untouched.
        Assert.Equal(0x7FA00001u, ReadSingle([0x43, 0x01, 0x00, 0xA0, 0x7F]).F32Bits);
        Assert.Equal(0xFFF0000000000001ul, ReadSingle([0x44, 0x01, 0, 0, 0, 0, 0, 0xF0, 0xFF]).F64Bits);
    }

    [Fact]
    public void DecodesBlockTypes()
    {
        Assert.Equal(BlockType.Empty, ReadSingle([0x02, 0x40]).BlockType);
        Assert.Equal(BlockType.Of(ValueType.F64), ReadSingle([0x03, 0x7C]).BlockType);
        Assert.Equal(BlockType.OfTypeIndex(200), ReadSingle([0x04, 0xC8, 0x01]).BlockType);
    }

    [Fact]
    public void DecodesPrefixedOpcodesWithPaddedSubopcodes()
    {
        Assert.Equal(Opcode.I64TruncSatF64U, ReadSingle([0xFC, 0x07]).Opcode);
        Assert.Equal(Opcode.I32x4Add, ReadSingle([0xFD, 0xAE, 0x01]).Opcode);
        Assert.Equal(Opcode.I8x16Swizzle, ReadSingle([0xFD, 0x8E, 0x80, 0x00]).Opcode);
    }

    [Fact]
    public void DecodesMemoryArgumentsAndLanes()
    {
        var load = ReadSingle([0x29, 0x03, 0x80, 0x01]);
        Assert.Equal((Opcode.I64Load, 3u, 128u), (load.Opcode, load.Alignment, load.MemoryOffset));

        var laneStore = ReadSingle([0xFD, 0x5B, 0x03, 0x10, 0x01]);
        Assert.Equal((Opcode.V128Store64Lane, 3u, 16u, (byte)1), (laneStore.Opcode, laneStore.Alignment, laneStore.MemoryOffset, laneStore.Lane));

        Assert.Equal((byte)15, ReadSingle([0xFD, 0x15, 0x0F]).Lane);
    }

    [Fact]
    public void DecodesSixteenByteImmediates()
    {
        byte[] lanes = [.. Enumerable.Range(0, 16).Select(i => (byte)(31 - i))];
        var shuffle = ReadSingle([0xFD, 0x0D, .. lanes]);
        Assert.Equal(Vector128.Create(lanes), shuffle.V128);
    }

    [Fact]
    public void EnumeratesBranchTableTargets()
    {
        var reader = new InstructionReader(new byte[] { 0x0E, 0x03, 0x00, 0x81, 0x01, 0x02, 0x05, 0x0B });
        reader.Read(out var instruction);
        var targets = new List<uint>();
        foreach (var depth in reader.GetBranchTargets(instruction))
        {
            targets.Add(depth);
        }

        Assert.Equal([0u, 129u, 2u], targets);
        Assert.Equal(3u, instruction.Index);
        Assert.Equal(5u, instruction.SecondIndex);
        reader.Read(out var end);
        Assert.Equal(Opcode.End, end.Opcode);
    }

    [Fact]
    public void DecodesIndexPairs()
    {
        var callIndirect = ReadSingle([0x11, 0x02, 0x01]);
        Assert.Equal((2u, 1u), (callIndirect.Index, callIndirect.SecondIndex));

        var tableInit = ReadSingle([0xFC, 0x0C, 0x04, 0x01]);
        Assert.Equal((4u, 1u), (tableInit.Index, tableInit.SecondIndex));

        var memoryInit = ReadSingle([0xFC, 0x08, 0x07, 0x00]);
        Assert.Equal(7u, memoryInit.Index);
    }

    [Fact]
    public void ReportsModuleOffsets()
    {
        var reader = new InstructionReader(new byte[] { 0x01, 0x01, 0x0B }, 40);
        reader.Read(out _);
        reader.Read(out var second);
        Assert.Equal(41, second.Offset);
        Assert.Equal(42, reader.Offset);
    }

    [Theory]
    [InlineData(new byte[] { 0x06 }, "illegal opcode")]
    [InlineData(new byte[] { 0xFC, 0x12 }, "illegal opcode")]
    [InlineData(new byte[] { 0xFD, 0x9A, 0x01 }, "illegal opcode")]
    [InlineData(new byte[] { 0xFD, 0x80, 0x80, 0x80, 0x80, 0x10 }, "integer too large")]
    [InlineData(new byte[] { 0x3F, 0x01 }, "zero byte expected")]
    [InlineData(new byte[] { 0xFC, 0x0A, 0x00, 0x01 }, "zero byte expected")]
    [InlineData(new byte[] { 0x41, 0x80 }, "unexpected end of section or function")]
    [InlineData(new byte[] { 0x44, 0x00, 0x00 }, "unexpected end of section or function")]
    [InlineData(new byte[] { 0xD0, 0x7F }, "malformed reference type")]
    [InlineData(new byte[] { 0x1C, 0x01, 0x00 }, "malformed value type")]
    public void RejectsMalformedEncodings(byte[] code, string reason)
    {
        var error = ReadFails(code);
        Assert.Equal(reason, error.Reason);
        Assert.InRange(error.Offset, 100, 100 + code.Length);
    }
}
