using System.Runtime.Intrinsics;
using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests;

/// <summary>The harness's own value rules, checked without an engine: NaN classes, v128 lanes, externref identity.</summary>
public sealed class SpecValuesTests
{
    private readonly SpecValues _values = new();

    [Theory]
    [InlineData("nan:canonical", 0x7FC0_0000u, true)]
    [InlineData("nan:canonical", 0xFFC0_0000u, true)]
    [InlineData("nan:canonical", 0x7FC0_0001u, false)]
    [InlineData("nan:canonical", 0x7FA0_0000u, false)]
    [InlineData("nan:arithmetic", 0x7FC0_0001u, true)]
    [InlineData("nan:arithmetic", 0xFFE0_0000u, true)]
    [InlineData("nan:arithmetic", 0x7FA0_0000u, false)]
    [InlineData("nan:arithmetic", 0x7F80_0000u, false)]
    [InlineData("2143289344", 0x7FC0_0000u, true)]
    [InlineData("2143289344", 0xFFC0_0000u, false)]
    public void F32ExpectationsFollowTheSpecNanClasses(string expected, uint actualBits, bool matches)
    {
        var mismatch = _values.Mismatch(new SpecValue("f32", null, [expected]), WasmValue.F32(actualBits));

        Assert.Equal(matches, mismatch is null);
    }

    [Theory]
    [InlineData("nan:canonical", 0xFFF8_0000_0000_0000ul, true)]
    [InlineData("nan:canonical", 0x7FF8_0000_0000_0001ul, false)]
    [InlineData("nan:arithmetic", 0x7FFC_0000_0000_0000ul, true)]
    [InlineData("nan:arithmetic", 0x7FF4_0000_0000_0000ul, false)]
    public void F64ExpectationsFollowTheSpecNanClasses(string expected, ulong actualBits, bool matches)
    {
        var mismatch = _values.Mismatch(new SpecValue("f64", null, [expected]), WasmValue.F64(actualBits));

        Assert.Equal(matches, mismatch is null);
    }

    [Fact]
    public void V128LanesAreLittleEndianAndComparedPerLane()
    {
        var argument = _values.ToValue(new SpecValue("v128", "i16", ["1", "65535", "0", "0", "0", "0", "0", "258"]));

        Assert.Equal([1, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1], ToBytes(argument));
        Assert.Null(_values.Mismatch(new SpecValue("v128", "i32", ["4294901761", "0", "0", "16908288"]), argument));
        Assert.NotNull(_values.Mismatch(new SpecValue("v128", "i32", ["4294901761", "0", "0", "16908289"]), argument));
    }

    [Fact]
    public void FloatLanesAcceptNanClassesPerLane()
    {
        var actual = _values.ToValue(new SpecValue("v128", "f32", ["2143289344", "2143289345", "0", "1065353216"]));

        Assert.Null(_values.Mismatch(new SpecValue("v128", "f32", ["nan:canonical", "nan:arithmetic", "0", "1065353216"]), actual));
        Assert.NotNull(_values.Mismatch(new SpecValue("v128", "f32", ["nan:canonical", "nan:canonical", "0", "1065353216"]), actual));
    }

    [Fact]
    public void ExternReferencesKeepTheirIdentityWithinAScript()
    {
        var first = _values.ToValue(new SpecValue("externref", null, ["7"]));
        var again = _values.ToValue(new SpecValue("externref", null, ["7"]));

        Assert.Same(first.Reference, again.Reference);
        Assert.Null(_values.Mismatch(new SpecValue("externref", null, ["7"]), again));
        Assert.NotNull(_values.Mismatch(new SpecValue("externref", null, ["8"]), again));
        Assert.NotNull(_values.Mismatch(new SpecValue("externref", null, ["null"]), again));
    }

    [Fact]
    public void ResultTypesMustMatch()
    {
        Assert.NotNull(_values.Mismatch(new SpecValue("i64", null, ["1"]), WasmValue.I32(1)));
        Assert.Null(_values.Mismatch(new SpecValue("i32", null, ["4294967295"]), WasmValue.I32(uint.MaxValue)));
    }

    private static byte[] ToBytes(WasmValue value)
    {
        var bytes = new byte[16];
        value.Vector.CopyTo(bytes);
        return bytes;
    }
}
