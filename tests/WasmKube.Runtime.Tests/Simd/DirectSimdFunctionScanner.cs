using WasmKube.Runtime.Binary;

namespace WasmKube.Runtime.Tests.Simd;

/// <summary>An exported function whose body applies one SIMD instruction to its parameters in order.</summary>
internal sealed record DirectSimdFunction(string Export, Opcode Opcode, byte[] Immediates);

/// <summary>
/// Finds, in a module binary, the exported functions whose whole body is <c>local.get 0 … local.get n-1</c>, one
/// non-memory 0xFD instruction and <c>end</c>. The spec suite's SIMD files are mostly made of such wrappers, so their
/// assertions can check the helpers directly without the compiler. Only the sections needed are read (spec §5.5).
/// </summary>
internal static class DirectSimdFunctionScanner
{
    private const byte TypeSection = 1;
    private const byte ImportSection = 2;
    private const byte FunctionSection = 3;
    private const byte ExportSection = 7;
    private const byte CodeSection = 10;

    public static IReadOnlyList<DirectSimdFunction> Scan(byte[] module)
    {
        var paramCounts = new List<int>();
        var functionTypes = new List<int>();
        var importedFunctions = 0;
        var exports = new List<(string Name, int Index)>();
        var bodies = new List<(int Start, int End)>();

        var reader = new Reader(module, 8);
        while (!reader.AtEnd)
        {
            var id = reader.Byte();
            var size = (int)reader.U32();
            var end = reader.Position + size;
            switch (id)
            {
                case TypeSection:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        reader.Byte(); // 0x60
                        var parameters = (int)reader.U32();
                        reader.Skip(parameters);
                        reader.Skip((int)reader.U32());
                        paramCounts.Add(parameters);
                    }
                    break;
                case ImportSection:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        reader.Skip((int)reader.U32());
                        reader.Skip((int)reader.U32());
                        if (reader.Byte() != 0)
                        {
                            // Decoding other import kinds is not worth it here: such modules are left to the
                            // compiled-engine spec run.
                            return [];
                        }
                        reader.U32();
                        importedFunctions++;
                    }
                    break;
                case FunctionSection:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        functionTypes.Add((int)reader.U32());
                    }
                    break;
                case ExportSection:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        var name = reader.Name();
                        var kind = reader.Byte();
                        var index = (int)reader.U32();
                        if (kind == 0)
                        {
                            exports.Add((name, index));
                        }
                    }
                    break;
                case CodeSection:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        var bodySize = (int)reader.U32();
                        bodies.Add((reader.Position, reader.Position + bodySize));
                        reader.Skip(bodySize);
                    }
                    break;
            }
            reader.Position = end;
        }

        var found = new List<DirectSimdFunction>();
        foreach (var (name, index) in exports)
        {
            var local = index - importedFunctions;
            if (local < 0 || local >= bodies.Count)
            {
                continue;
            }
            var (start, end) = bodies[local];
            var direct = MatchBody(module, start, end, paramCounts[functionTypes[local]]);
            if (direct is { } d)
            {
                found.Add(new DirectSimdFunction(name, d.Opcode, d.Immediates));
            }
        }
        return found;
    }

    private static (Opcode Opcode, byte[] Immediates)? MatchBody(byte[] module, int start, int end, int parameters)
    {
        var reader = new Reader(module, start);
        if (reader.U32() != 0)
        {
            return null; // declares locals
        }
        for (var i = 0; i < parameters; i++)
        {
            if (reader.Byte() != 0x20 || reader.U32() != i)
            {
                return null;
            }
        }
        if (reader.Byte() != 0xFD)
        {
            return null;
        }
        var opcode = (Opcode)(0xFD0000 | (int)reader.U32());
        var immediateLength = ImmediateLength(opcode);
        if (immediateLength < 0)
        {
            return null;
        }
        var immediates = module.AsSpan(reader.Position, immediateLength).ToArray();
        reader.Skip(immediateLength);
        return reader.Byte() == 0x0B && reader.Position == end ? (opcode, immediates) : null;
    }

    /// <summary>Bytes of immediates after the opcode, or -1 for instructions that access memory or are constants.</summary>
    private static int ImmediateLength(Opcode opcode) => opcode switch
    {
        Opcode.I8x16Shuffle => 16,
        >= Opcode.I8x16ExtractLaneS and <= Opcode.F64x2ReplaceLane => 1,
        >= Opcode.V128Load and <= Opcode.V128Const => -1,
        >= Opcode.V128Load8Lane and <= Opcode.V128Load64Zero => -1,
        _ => 0,
    };

    private ref struct Reader(byte[] bytes, int position)
    {
        private readonly byte[] _bytes = bytes;

        public int Position = position;

        public readonly bool AtEnd => Position >= _bytes.Length;

        public byte Byte() => _bytes[Position++];

        public void Skip(int count) => Position += count;

        public uint U32()
        {
            uint result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = Byte();
                result |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }
        }

        public string Name()
        {
            var length = (int)U32();
            var name = System.Text.Encoding.UTF8.GetString(_bytes, Position, length);
            Position += length;
            return name;
        }
    }
}
