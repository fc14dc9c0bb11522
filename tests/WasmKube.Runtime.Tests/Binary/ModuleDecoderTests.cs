using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Model;
using static WasmKube.Runtime.Tests.Binary.WasmBytes;

namespace WasmKube.Runtime.Tests.Binary;

public sealed class ModuleDecoderTests
{
    private static readonly byte[] I32Zero = [0x41, 0x00, 0x0B];

    private static MalformedModuleException Rejects(byte[] bytes, string reason)
    {
        var error = Assert.Throws<MalformedModuleException>(() => ModuleDecoder.Decode(bytes));
        Assert.Equal(reason, error.Reason);
        return error;
    }

    [Fact]
    public void DecodesEmptyModule()
    {
        var module = ModuleDecoder.Decode(Header);
        Assert.Empty(module.Types);
        Assert.Empty(module.Bodies);
        Assert.Null(module.StartFunction);
    }

    [Fact]
    public void DecodesTypesImportsAndFunctions()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(1, Vector(FunctionType([ValueType.I32, ValueType.V128], [ValueType.F64]), FunctionType([], []))),
            Section(2, Vector(
                [.. Name("env"), .. Name("f"), 0x00, 0x00],
                [.. Name("env"), .. Name("t"), 0x01, 0x6F, 0x01, 0x01, 0x05],
                [.. Name("env"), .. Name("m"), 0x02, 0x00, 0x02],
                [.. Name("env"), .. Name("g"), 0x03, 0x7E, 0x01])),
            Section(3, Vector([0x01], [0x00])),
            Section(10, Vector(Body(0x0B), Body(0x00, 0x0B)))));

        Assert.Equal(new FunctionType([ValueType.I32, ValueType.V128], [ValueType.F64]), module.Types[0]);
        Assert.Equal(new FunctionImport(0), module.Imports[0].Descriptor);
        Assert.Equal(new TableImport(new TableType(ValueType.ExternRef, new Limits(1, 5))), module.Imports[1].Descriptor);
        Assert.Equal(new MemoryImport(new MemoryType(new Limits(2, null))), module.Imports[2].Descriptor);
        Assert.Equal(new GlobalImport(new GlobalType(ValueType.I64, true)), module.Imports[3].Descriptor);
        Assert.Equal([1u, 0u], module.FunctionTypeIndices.ToArray());
        Assert.Equal(2, module.Bodies.Length);
    }

    [Fact]
    public void DecodesLocalsAndBodyOffsets()
    {
        byte[] body = [0x02, 0x02, 0x7F, 0x01, 0x7D, 0x0B]; // 2 x i32, 1 x f32, end
        var bytes = Module(
            Section(1, Vector(FunctionType([], []))),
            Section(3, Vector([0x00])),
            Section(10, Vector([.. U32((uint)body.Length), .. body])));
        var module = ModuleDecoder.Decode(bytes);

        var decoded = module.Bodies[0];
        Assert.Equal([ValueType.I32, ValueType.I32, ValueType.F32], decoded.Locals.ToArray());
        Assert.Equal([0x0B], decoded.Code.ToArray());
        Assert.Equal(bytes.Length - 1, decoded.CodeOffset);
    }

    [Fact]
    public void DecodesTablesMemoriesGlobalsExportsAndStart()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(1, Vector(FunctionType([], []))),
            Section(3, Vector([0x00])),
            Section(4, Vector([0x70, 0x00, 0x03])),
            Section(5, Vector([0x01, 0x01, 0x10])),
            Section(6, Vector([0x7F, 0x01, 0x41, 0x7F, 0x0B], [0x70, 0x00, 0xD2, 0x00, 0x0B])),
            Section(7, Vector([.. Name("run"), 0x00, 0x00], [.. Name("mem"), 0x02, 0x00])),
            Section(8, [0x00]),
            Section(10, Vector(Body(0x0B)))));

        Assert.Equal(new TableType(ValueType.FuncRef, new Limits(3, null)), module.Tables[0]);
        Assert.Equal(new Limits(1, 16), module.Memories[0].Limits);
        Assert.True(module.Globals[0].Type.Mutable);
        Assert.Equal(-1, (int)module.Globals[0].Initializer.Instructions[0].Bits);
        Assert.Equal(Opcode.RefFunc, module.Globals[1].Initializer.Instructions[0].Opcode);
        Assert.Equal(new Export("mem", ExternKind.Memory, 0), module.Exports[1]);
        Assert.Equal(0u, module.StartFunction);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00 }, SegmentMode.Active, 0u, ValueType.FuncRef)]
    [InlineData(new byte[] { 0x01, 0x00, 0x01, 0x00 }, SegmentMode.Passive, 0u, ValueType.FuncRef)]
    [InlineData(new byte[] { 0x02, 0x01, 0x41, 0x00, 0x0B, 0x00, 0x01, 0x00 }, SegmentMode.Active, 1u, ValueType.FuncRef)]
    [InlineData(new byte[] { 0x03, 0x00, 0x01, 0x00 }, SegmentMode.Declarative, 0u, ValueType.FuncRef)]
    [InlineData(new byte[] { 0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B }, SegmentMode.Active, 0u, ValueType.FuncRef)]
    [InlineData(new byte[] { 0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B }, SegmentMode.Passive, 0u, ValueType.ExternRef)]
    [InlineData(new byte[] { 0x06, 0x01, 0x41, 0x00, 0x0B, 0x70, 0x01, 0xD2, 0x00, 0x0B }, SegmentMode.Active, 1u, ValueType.FuncRef)]
    [InlineData(new byte[] { 0x07, 0x70, 0x01, 0xD0, 0x70, 0x0B }, SegmentMode.Declarative, 0u, ValueType.FuncRef)]
    public void DecodesAllEightElementEncodings(byte[] segment, SegmentMode mode, uint table, ValueType type)
    {
        var module = ModuleDecoder.Decode(Module(
            Section(1, Vector(FunctionType([], []))),
            Section(3, Vector([0x00])),
            Section(9, Vector(segment)),
            Section(10, Vector(Body(0x0B)))));

        var decoded = Assert.Single(module.Elements);
        Assert.Equal((mode, table, type), (decoded.Mode, decoded.TableIndex, decoded.Type));
        Assert.Equal(mode == SegmentMode.Active, decoded.Offset is not null);
        var initializer = Assert.Single(decoded.Initializers);
        Assert.Contains(initializer.Instructions[0].Opcode, (Opcode[])[Opcode.RefFunc, Opcode.RefNull]);
    }

    [Fact]
    public void DecodesAllThreeDataEncodings()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(5, Vector([0x00, 0x01])),
            Section(12, [0x03]),
            Section(11, Vector(
                [0x00, .. I32Zero, .. Name("ab")],
                [0x01, .. Name("c")],
                [0x02, 0x00, .. I32Zero, .. Name("")]))));

        Assert.Equal(3u, module.DataCount);
        Assert.Equal([SegmentMode.Active, SegmentMode.Passive, SegmentMode.Active], module.Data.Select(d => d.Mode));
        Assert.Equal("ab"u8.ToArray(), module.Data[0].Bytes.ToArray());
        Assert.Equal("c"u8.ToArray(), module.Data[1].Bytes.ToArray());
        Assert.Null(module.Data[1].Offset);
        Assert.Equal(0, module.Data[2].Bytes.Length);
    }

    [Fact]
    public void ReadsFunctionNamesFromNameSection()
    {
        byte[] functionNames = [.. Vector([0x00, .. Name("main")], [0x01, .. Name("helper")])];
        byte[] moduleName = Name("demo");
        var module = ModuleDecoder.Decode(Module(
            Section(0, Name("name"), [0x00, .. U32((uint)moduleName.Length), .. moduleName], [0x01, .. U32((uint)functionNames.Length), .. functionNames])));

        Assert.Equal("demo", module.Name);
        Assert.Equal("main", module.FunctionNames[0]);
        Assert.Equal("helper", module.FunctionNames[1]);
        Assert.Equal("name", Assert.Single(module.CustomSections).Name);
    }

    [Fact]
    public void IgnoresBrokenNameSection()
    {
        // A function-names subsection whose size runs past the section, then garbage.
        var module = ModuleDecoder.Decode(Module(Section(0, Name("name"), [0x01, 0x7F, 0x05, 0xFF, 0xFF])));

        Assert.Empty(module.FunctionNames);
        Assert.Single(module.CustomSections);
    }

    [Fact]
    public void AllowsCustomSectionsAnywhere()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(0, Name("a")),
            Section(1, Vector(FunctionType([], []))),
            Section(0, Name("b"), [1, 2, 3])));

        Assert.Equal(["a", "b"], module.CustomSections.Select(c => c.Name));
        Assert.Equal([1, 2, 3], module.CustomSections[1].Content.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { }, "unexpected end")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73 }, "unexpected end")]
    [InlineData(new byte[] { 0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00 }, "magic header not detected")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00 }, "unknown binary version")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x0D, 0x00 }, "malformed section id")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x00 }, "length out of bounds")]
    public void RejectsBadHeadersAndSectionFraming(byte[] bytes, string reason) => Rejects(bytes, reason);

    [Fact]
    public void RejectsSectionsOutOfOrder() =>
        Rejects(Module(Section(3, Vector()), Section(1, Vector())), "unexpected content after last section");

    [Fact]
    public void RejectsDuplicateSections() =>
        Rejects(Module(Section(1, Vector()), Section(1, Vector())), "unexpected content after last section");

    [Fact]
    public void RejectsSectionWithTrailingBytes()
    {
        var error = Rejects(Module(Section(1, Vector(), [0x00])), "section size mismatch");
        Assert.Equal("type", error.Section);
        Assert.Contains("type section", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsSectionContentRunningShort() =>
        Rejects(Module(Section(1, [0x02, .. FunctionType([], [])])), "unexpected end of section or function");

    [Fact]
    public void RejectsFunctionWithoutBody() =>
        Rejects(Module(Section(1, Vector(FunctionType([], []))), Section(3, Vector([0x00]))), "function and code section have inconsistent lengths");

    [Fact]
    public void RejectsDataCountMismatch() =>
        Rejects(Module(Section(5, Vector([0x00, 0x01])), Section(12, [0x02]), Section(11, Vector([0x01, .. Name("x")]))), "data count and data section have inconsistent lengths");

    [Fact]
    public void RequiresDataCountForMemoryInitWhenDataSectionExists() =>
        Rejects(Module(
            Section(1, Vector(FunctionType([], []))),
            Section(3, Vector([0x00])),
            Section(5, Vector([0x00, 0x01])),
            Section(10, Vector(Body(0xFC, 0x09, 0x00, 0x0B))),
            Section(11, Vector([0x01, .. Name("x")]))), "data count section required");

    [Theory]
    [InlineData(new byte[] { 0x03, 0x7F, 0x05 }, "malformed mutability")]
    [InlineData(new byte[] { 0x04, 0x00 }, "malformed import kind")]
    [InlineData(new byte[] { 0x01, 0x7F, 0x00, 0x00 }, "malformed reference type")]
    [InlineData(new byte[] { 0x03, 0x40, 0x00 }, "malformed value type")]
    [InlineData(new byte[] { 0x02, 0x02, 0x00 }, "integer too large")]
    public void RejectsBadImportDescriptors(byte[] descriptor, string reason) =>
        Rejects(Module(Section(2, Vector([.. Name("m"), .. Name("n"), .. descriptor]))), reason);

    [Fact]
    public void RejectsInvalidUtf8Names() =>
        Rejects(Module(Section(7, Vector([0x02, 0xC0, 0x80, 0x00, 0x00]))), "malformed UTF-8 encoding");

    [Fact]
    public void RejectsTooManyLocals()
    {
        byte[] body = [0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B];
        Rejects(Module(
            Section(1, Vector(FunctionType([], []))),
            Section(3, Vector([0x00])),
            Section(10, Vector([.. U32((uint)body.Length), .. body]))), "too many locals");
    }

    [Fact]
    public void RejectsBodyWithoutFinalEnd() =>
        Rejects(SingleFunction(0x01), "unexpected end of section or function");

    [Fact]
    public void RejectsBytesAfterFinalEnd() =>
        Rejects(SingleFunction(0x0B, 0x01), "section size mismatch");

    [Fact]
    public void RejectsElseOutsideIf() =>
        Rejects(SingleFunction(0x02, 0x40, 0x05, 0x0B, 0x0B), "END opcode expected");

    [Fact]
    public void RejectsIllegalOpcodeInsideBody()
    {
        var error = Rejects(SingleFunction(0x01, 0xFF, 0x0B), "illegal opcode");
        Assert.Equal("code", error.Section);
        Assert.Equal(SingleFunction(0x01, 0xFF, 0x0B).Length - 2, error.Offset);
    }

    [Fact]
    public void KeepsNonConstantInstructionsOfConstantExpressionsForTheValidator()
    {
        var module = ModuleDecoder.Decode(Module(Section(6, Vector([0x7F, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B]))));
        Assert.Equal([Opcode.I32Const, Opcode.I32Const, Opcode.I32Add], module.Globals[0].Initializer.Instructions.Select(i => i.Opcode));
    }

    [Fact]
    public void DecodingFromMemoryReferencesTheCallersBuffer()
    {
        var bytes = SingleFunction(0x01, 0x0B);
        var module = ModuleDecoder.Decode(bytes.AsMemory());
        bytes[^2] = 0x00;
        Assert.Equal(0x00, module.Bodies[0].Code.Span[0]);
    }
}
