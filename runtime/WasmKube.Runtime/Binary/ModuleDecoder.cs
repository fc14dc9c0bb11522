using System.Collections.Immutable;
using System.Text;
using WasmKube.Runtime.Model;

namespace WasmKube.Runtime.Binary;

/// <summary>
/// Decodes the WebAssembly 2.0 binary format (spec §5) into a <see cref="ModuleDefinition"/>. Checks everything the
/// spec classes as "malformed", including the instruction encodings of every function body, and reports failures as
/// <see cref="MalformedModuleException"/> with the section, the module offset and the spec test suite's wording.
/// Type rules ("invalid") are left to <see cref="Validation.Validator"/>.
/// </summary>
public static class ModuleDecoder
{
    private const uint Magic = 0x6D736100; // "\0asm"
    private const uint Version = 1;

    /// <summary>
    /// Most locals one function may declare. The spec only requires the count to fit in a u32; the bound keeps a
    /// hostile body from making the engine allocate gigabytes, and lies far above what compilers emit.
    /// </summary>
    public const int MaxLocals = 50_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ModuleDefinition Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, null);

    /// <summary>
    /// Decodes <paramref name="bytes"/>. When <paramref name="owner"/> holds the same bytes, function bodies and data
    /// segments reference it instead of copies.
    /// </summary>
    public static ModuleDefinition Decode(ReadOnlyMemory<byte> owner) => Decode(owner.Span, owner);

    private static ModuleDefinition Decode(ReadOnlySpan<byte> bytes, ReadOnlyMemory<byte>? owner)
    {
        // Bodies and data segments keep slices of the module; copy once if the caller's buffer is only borrowed.
        var memory = owner ?? bytes.ToArray();
        var state = new DecoderState(memory);
        var reader = new ByteReader(memory.Span, 0, memory.Length, null);
        ReadHeader(ref reader);

        var lastId = 0; // order index of the last non-custom section
        while (!reader.AtEnd)
        {
            var sectionStart = reader.Position;
            var id = reader.ReadByte("unexpected end");
            if (id > 12)
            {
                throw new MalformedModuleException("malformed section id", sectionStart);
            }

            var size = reader.ReadU32();
            if (size > (uint)(reader.End - reader.Position))
            {
                throw new MalformedModuleException("length out of bounds", reader.Position, SectionName(id));
            }

            var contentStart = reader.Position;
            var contentEnd = contentStart + (int)size;
            if (id != 0)
            {
                var order = SectionOrder(id);
                if (order <= lastId)
                {
                    throw new MalformedModuleException("unexpected content after last section", sectionStart, SectionName(id));
                }

                lastId = order;
            }

            var section = new ByteReader(memory.Span, contentStart, contentEnd, SectionName(id));
            ReadSection(id, ref section, state);
            if (section.Position != contentEnd)
            {
                throw new MalformedModuleException("section size mismatch", section.Position, SectionName(id));
            }

            reader.Position = contentEnd;
        }

        return state.Build();
    }

    private static void ReadHeader(ref ByteReader reader)
    {
        if (reader.Remaining < 4)
        {
            throw new MalformedModuleException("unexpected end", reader.End);
        }

        if (reader.ReadUInt32LittleEndian() != Magic)
        {
            throw new MalformedModuleException("magic header not detected", 0);
        }

        if (reader.Remaining < 4)
        {
            throw new MalformedModuleException("unexpected end", reader.End);
        }

        if (reader.ReadUInt32LittleEndian() != Version)
        {
            throw new MalformedModuleException("unknown binary version", 4);
        }
    }

    /// <summary>Position of a section id in the required order (spec §5.5.2); the data count section sits before code.</summary>
    private static int SectionOrder(byte id) => id switch
    {
        12 => 10, // data count
        10 => 11, // code
        11 => 12, // data
        _ => id,
    };

    private static string SectionName(byte id) => id switch
    {
        0 => "custom",
        1 => "type",
        2 => "import",
        3 => "function",
        4 => "table",
        5 => "memory",
        6 => "global",
        7 => "export",
        8 => "start",
        9 => "element",
        10 => "code",
        11 => "data",
        12 => "data count",
        _ => $"unknown ({id})",
    };

    private static void ReadSection(byte id, ref ByteReader r, DecoderState state)
    {
        switch (id)
        {
            case 0:
                ReadCustomSection(ref r, state);
                break;
            case 1:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    state.Types.Add(ReadFunctionType(ref r));
                }

                break;
            case 2:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    state.Imports.Add(ReadImport(ref r));
                }

                break;
            case 3:
                state.HasFunctionSection = true;
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    state.FunctionTypeIndices.Add(r.ReadU32());
                }

                break;
            case 4:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    state.Tables.Add(ReadTableType(ref r));
                }

                break;
            case 5:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    state.Memories.Add(new MemoryType(ReadLimits(ref r)));
                }

                break;
            case 6:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    var type = ReadGlobalType(ref r);
                    state.Globals.Add(new GlobalDefinition(type, ReadConstantExpression(ref r)));
                }

                break;
            case 7:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    var name = r.ReadName();
                    var kindOffset = r.Position;
                    var kind = r.ReadByte();
                    if (kind > 3)
                    {
                        throw r.Malformed("malformed export kind", kindOffset);
                    }

                    state.Exports.Add(new Export(name, (ExternKind)kind, r.ReadU32()));
                }

                break;
            case 8:
                state.StartFunction = r.ReadU32();
                break;
            case 9:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    state.Elements.Add(ReadElementSegment(ref r));
                }

                break;
            case 10:
                ReadCodeSection(ref r, state);
                break;
            case 11:
                ReadDataSection(ref r, state);
                break;
            case 12:
                state.DataCount = r.ReadU32();
                break;
        }
    }

    private static void ReadCustomSection(ref ByteReader r, DecoderState state)
    {
        var name = r.ReadName();
        var content = state.Bytes.Slice(r.Position, r.End - r.Position);
        r.Position = r.End;
        state.CustomSections.Add(new CustomSection(name, content));
        if (name == "name")
        {
            NameSectionReader.Read(content.Span, state);
        }
    }

    private static FunctionType ReadFunctionType(ref ByteReader r)
    {
        var formOffset = r.Position;
        var form = r.ReadByte();
        if (form != 0x60)
        {
            // The form is a signed LEB128 byte in the reference interpreter: a continuation bit makes it overlong.
            throw r.Malformed(form >= 0x80 ? "integer representation too long" : "malformed function type", formOffset);
        }

        return new FunctionType(ReadValueTypes(ref r), ReadValueTypes(ref r));
    }

    private static ImmutableArray<ValueType> ReadValueTypes(ref ByteReader r)
    {
        var count = r.ReadU32();
        if (count > (uint)r.Remaining)
        {
            throw r.Malformed("length out of bounds", r.Position);
        }

        var builder = ImmutableArray.CreateBuilder<ValueType>((int)count);
        for (var i = 0u; i < count; i++)
        {
            builder.Add(r.ReadValueType());
        }

        return builder.MoveToImmutable();
    }

    private static Import ReadImport(ref ByteReader r)
    {
        var module = r.ReadName();
        var name = r.ReadName();
        var kindOffset = r.Position;
        ImportDescriptor descriptor = r.ReadByte() switch
        {
            0 => new FunctionImport(r.ReadU32()),
            1 => new TableImport(ReadTableType(ref r)),
            2 => new MemoryImport(new MemoryType(ReadLimits(ref r))),
            3 => new GlobalImport(ReadGlobalType(ref r)),
            _ => throw r.Malformed("malformed import kind", kindOffset),
        };
        return new Import(module, name, descriptor);
    }

    private static TableType ReadTableType(ref ByteReader r)
    {
        var elementType = r.ReadReferenceType();
        return new TableType(elementType, ReadLimits(ref r));
    }

    private static Limits ReadLimits(ref ByteReader r)
    {
        var flagsOffset = r.Position;
        var flags = r.ReadByte();
        switch (flags)
        {
            case 0:
                return new Limits(r.ReadU32(), null);
            case 1:
                var minimum = r.ReadU32();
                return new Limits(minimum, r.ReadU32());
            default:
                // The reference interpreter reads the flags as a LEB128 u1, so stray bits count as "too large".
                throw r.Malformed(flags >= 0x80 ? "integer representation too long" : "integer too large", flagsOffset);
        }
    }

    private static GlobalType ReadGlobalType(ref ByteReader r)
    {
        var type = r.ReadValueType();
        var mutabilityOffset = r.Position;
        return r.ReadByte() switch
        {
            0 => new GlobalType(type, false),
            1 => new GlobalType(type, true),
            _ => throw r.Malformed("malformed mutability", mutabilityOffset),
        };
    }

    /// <summary>Reads instructions up to the matching <c>end</c>, keeping them for the validator to judge.</summary>
    private static ConstantExpression ReadConstantExpression(ref ByteReader r)
    {
        var start = r.Position;
        var reader = new InstructionReader(r.Data.Slice(start, r.End - start), start);
        var builder = ImmutableArray.CreateBuilder<ConstantInstruction>(1);
        var depth = 0;
        while (true)
        {
            if (reader.AtEnd)
            {
                throw r.Malformed(InstructionReader.UnexpectedEndReason, reader.Offset);
            }

            reader.Read(out var instruction);
            switch (instruction.Opcode)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If:
                    depth++;
                    break;
                case Opcode.End when depth == 0:
                    r.Position = reader.Offset;
                    return new ConstantExpression(builder.ToImmutable(), start);
                case Opcode.End:
                    depth--;
                    break;
            }

            builder.Add(new ConstantInstruction(
                instruction.Opcode,
                (ulong)instruction.Immediate,
                instruction.V128,
                instruction.Index,
                instruction.ValueType));
        }
    }

    private static ElementSegment ReadElementSegment(ref ByteReader r)
    {
        var flagsOffset = r.Position;
        var flags = r.ReadU32();
        if (flags > 7)
        {
            throw r.Malformed("malformed elements segment kind", flagsOffset);
        }

        // Bit 0: passive or declarative (else active); bit 1: explicit table index (active) or declarative;
        // bit 2: elements are expressions with an explicit reference type (else function indices with elemkind).
        var mode = (flags & 1) == 0 ? SegmentMode.Active : (flags & 2) == 0 ? SegmentMode.Passive : SegmentMode.Declarative;
        var tableIndex = mode == SegmentMode.Active && (flags & 2) != 0 ? r.ReadU32() : 0u;
        var offset = mode == SegmentMode.Active ? ReadConstantExpression(ref r) : null;
        var usesExpressions = (flags & 4) != 0;
        var type = ValueType.FuncRef;
        if (flags is not 0 and not 4)
        {
            if (usesExpressions)
            {
                type = r.ReadReferenceType();
            }
            else
            {
                var kindOffset = r.Position;
                if (r.ReadByte() != 0)
                {
                    throw r.Malformed("malformed element kind", kindOffset);
                }
            }
        }

        var count = r.ReadU32();
        var initializers = ImmutableArray.CreateBuilder<ConstantExpression>((int)Math.Min(count, (uint)r.Remaining));
        for (var i = 0u; i < count; i++)
        {
            if (usesExpressions)
            {
                initializers.Add(ReadConstantExpression(ref r));
            }
            else
            {
                var at = r.Position;
                var function = r.ReadU32();
                initializers.Add(new ConstantExpression([new ConstantInstruction(Opcode.RefFunc, Index: function)], at));
            }
        }

        return new ElementSegment(type, mode, tableIndex, offset, initializers.ToImmutable());
    }

    private static void ReadCodeSection(ref ByteReader r, DecoderState state)
    {
        var count = r.ReadU32();
        if (count != (uint)state.FunctionTypeIndices.Count)
        {
            throw r.Malformed("function and code section have inconsistent lengths", r.Position);
        }

        state.HasCodeSection = true;
        for (var i = 0u; i < count; i++)
        {
            var size = r.ReadU32();
            if (size > (uint)r.Remaining)
            {
                throw r.Malformed("length out of bounds", r.Position);
            }

            var bodyEnd = r.Position + (int)size;
            var body = new ByteReader(r.Data, r.Position, bodyEnd, "code");
            state.Bodies.Add(ReadBody(ref body, state));
            r.Position = bodyEnd;
        }
    }

    private static FunctionBody ReadBody(ref ByteReader r, DecoderState state)
    {
        var groups = r.ReadU32();
        ulong total = 0;
        var locals = ImmutableArray.CreateBuilder<ValueType>();
        for (var g = 0u; g < groups; g++)
        {
            var countOffset = r.Position;
            var count = r.ReadU32();
            var type = r.ReadValueType();
            total += count;
            if (total > MaxLocals)
            {
                throw r.Malformed("too many locals", countOffset);
            }

            for (var k = 0u; k < count; k++)
            {
                locals.Add(type);
            }
        }

        var codeStart = r.Position;
        var code = r.Data[codeStart..r.End];
        ScanInstructions(code, codeStart, r.Data, state);
        return new FunctionBody(locals.ToImmutable(), state.Bytes.Slice(codeStart, code.Length), codeStart);
    }

    /// <summary>
    /// Walks a body's instructions so that encoding errors surface as malformed here rather than later, and finds
    /// the final <c>end</c>. When the body runs out before that <c>end</c>, the error depends on what follows, as
    /// in the reference interpreter, which reads past the declared body size: nothing ("unexpected end of section
    /// or function"), an <c>end</c> byte (the section then overruns: "section size mismatch"), or anything else
    /// ("END opcode expected").
    /// </summary>
    private static void ScanInstructions(ReadOnlySpan<byte> code, int codeOffset, ReadOnlySpan<byte> module, DecoderState state)
    {
        var reader = new InstructionReader(code, codeOffset);
        // Per open block: whether it is an `if` still allowed an `else`. Bit-packed so deep nesting costs little.
        var openIfs = new BitStack();
        openIfs.Push(false);
        while (openIfs.Count > 0)
        {
            if (reader.AtEnd)
            {
                var next = codeOffset + code.Length;
                var reason = next >= module.Length ? InstructionReader.UnexpectedEndReason
                    : module[next] == (byte)Opcode.End ? "section size mismatch"
                    : "END opcode expected";
                throw new MalformedModuleException(reason, next, "code");
            }

            reader.Read(out var instruction);
            switch (instruction.Opcode)
            {
                case Opcode.Block or Opcode.Loop:
                    openIfs.Push(false);
                    break;
                case Opcode.If:
                    openIfs.Push(true);
                    break;
                case Opcode.Else:
                    // The reference decoder ends a block's instructions at `else`, so one outside an `if` leaves
                    // that block without its `end`.
                    if (!openIfs.Pop())
                    {
                        throw new MalformedModuleException("END opcode expected", instruction.Offset, "code");
                    }

                    openIfs.Push(false);
                    break;
                case Opcode.End:
                    openIfs.Pop();
                    break;
                case Opcode.MemoryInit or Opcode.DataDrop when state.DataCount is null:
                    state.FirstDataReference ??= instruction.Offset;
                    break;
            }
        }

        if (!reader.AtEnd)
        {
            throw new MalformedModuleException("section size mismatch", reader.Offset, "code");
        }
    }

    private static void ReadDataSection(ref ByteReader r, DecoderState state)
    {
        var count = r.ReadU32();
        if (state.DataCount is { } declared && declared != count)
        {
            throw r.Malformed("data count and data section have inconsistent lengths", r.Position);
        }

        state.HasDataSection = true;
        for (var i = 0u; i < count; i++)
        {
            var flagsOffset = r.Position;
            var flags = r.ReadU32();
            var segment = flags switch
            {
                0 => new DataSegment(SegmentMode.Active, 0, ReadConstantExpression(ref r), default),
                1 => new DataSegment(SegmentMode.Passive, 0, null, default),
                2 => new DataSegment(SegmentMode.Active, r.ReadU32(), ReadConstantExpression(ref r), default),
                _ => throw r.Malformed("malformed data segment kind", flagsOffset),
            };
            var length = r.ReadLength();
            state.Data.Add(segment with { Bytes = state.Bytes.Slice(r.Position, length) });
            r.Position += length;
        }
    }

    /// <summary>A stack of flags stored 64 to a word.</summary>
    private struct BitStack
    {
        private ulong[] words;

        public int Count { get; private set; }

        public void Push(bool value)
        {
            words ??= new ulong[1];
            var word = Count >> 6;
            if (word == words.Length)
            {
                Array.Resize(ref words, words.Length * 2);
            }

            var mask = 1UL << (Count & 63);
            words[word] = value ? words[word] | mask : words[word] & ~mask;
            Count++;
        }

        public bool Pop()
        {
            Count--;
            return (words[Count >> 6] & (1UL << (Count & 63))) != 0;
        }
    }

    /// <summary>Mutable accumulation of the sections while decoding.</summary>
    internal sealed class DecoderState(ReadOnlyMemory<byte> bytes)
    {
        public ReadOnlyMemory<byte> Bytes { get; } = bytes;

        public List<FunctionType> Types { get; } = [];

        public List<Import> Imports { get; } = [];

        public List<uint> FunctionTypeIndices { get; } = [];

        public List<TableType> Tables { get; } = [];

        public List<MemoryType> Memories { get; } = [];

        public List<GlobalDefinition> Globals { get; } = [];

        public List<Export> Exports { get; } = [];

        public List<ElementSegment> Elements { get; } = [];

        public List<FunctionBody> Bodies { get; } = [];

        public List<DataSegment> Data { get; } = [];

        public List<CustomSection> CustomSections { get; } = [];

        public Dictionary<uint, string> FunctionNames { get; } = [];

        public string? ModuleName { get; set; }

        public uint? StartFunction { get; set; }

        public uint? DataCount { get; set; }

        public bool HasFunctionSection { get; set; }

        public bool HasCodeSection { get; set; }

        public bool HasDataSection { get; set; }

        /// <summary>Offset of the first memory.init or data.drop in a module without a data count section.</summary>
        public int? FirstDataReference { get; set; }

        public ModuleDefinition Build()
        {
            if (!HasCodeSection && FunctionTypeIndices.Count != 0)
            {
                throw new MalformedModuleException("function and code section have inconsistent lengths", Bytes.Length, "code");
            }

            if (!HasDataSection && DataCount is > 0)
            {
                throw new MalformedModuleException("data count and data section have inconsistent lengths", Bytes.Length, "data");
            }

            // Single-pass compilers need the segment count before the code (spec §5.5.13). Without any data section
            // the references are left for the validator, which reports the unknown segment.
            if (HasDataSection && DataCount is null && FirstDataReference is { } reference)
            {
                throw new MalformedModuleException("data count section required", reference, "code");
            }

            return new ModuleDefinition
            {
                Types = [.. Types],
                Imports = [.. Imports],
                FunctionTypeIndices = [.. FunctionTypeIndices],
                Tables = [.. Tables],
                Memories = [.. Memories],
                Globals = [.. Globals],
                Exports = [.. Exports],
                StartFunction = StartFunction,
                Elements = [.. Elements],
                DataCount = DataCount,
                Bodies = [.. Bodies],
                Data = [.. Data],
                CustomSections = [.. CustomSections],
                FunctionNames = FunctionNames.ToImmutableDictionary(),
                Name = ModuleName,
            };
        }
    }

    internal static string DecodeName(ReadOnlySpan<byte> bytes) => StrictUtf8.GetString(bytes);
}
