namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>
/// Simple deterministic mutations of a binary module: byte-level (flip a bit, write a boundary value, insert,
/// delete, truncate, duplicate a run), a byte of the code section (opcode and immediate soup), and section-level
/// (drop, duplicate or swap sections), and two that mostly keep the module valid while changing what it computes:
/// swapping a numeric opcode for another of the same type (i32.add for i32.div_s, f64.min for f64.copysign, ...)
/// and replacing the first byte of an i32/i64.const immediate with a boundary value. The 8-byte header is left
/// alone: mutating it only tests the magic check.
/// </summary>
internal static class Mutator
{
    private const int HeaderLength = 8;
    private static readonly byte[] BoundaryBytes = [0x00, 0x01, 0x0B, 0x40, 0x41, 0x7F, 0x80, 0xFF];

    // Single-byte LEB128 immediates: 0, 1, -1, -64, 63.
    private static readonly byte[] ConstantBytes = [0x00, 0x01, 0x7F, 0x40, 0x3F];

    /// <summary>Runs of numeric opcodes with one signature each (core spec 5.4.7): comparisons, unary and binary operators per type.</summary>
    private static readonly (byte First, byte Last)[] OpcodeGroups =
    [
        (0x46, 0x4F), (0x51, 0x5A), (0x5B, 0x60), (0x61, 0x66), // i32, i64, f32, f64 comparisons
        (0x67, 0x69), (0x6A, 0x78), (0x79, 0x7B), (0x7C, 0x8A), // i32 unary, i32 binary, i64 unary, i64 binary
        (0x8B, 0x91), (0x92, 0x98), (0x99, 0x9F), (0xA0, 0xA6), // f32 unary, f32 binary, f64 unary, f64 binary
        (0xA8, 0xA9), (0xAA, 0xAB), (0xAE, 0xAF), (0xB0, 0xB1), // i32.trunc_f32, i32.trunc_f64, i64.trunc_f32, i64.trunc_f64
    ];

    public static (byte[] Mutant, string How) Mutate(byte[] module, Random random)
    {
        if (module.Length <= HeaderLength)
        {
            return ([.. module, (byte)random.Next(256)], "append a byte");
        }

        var sections = Sections(module);
        var code = sections.FirstOrDefault(s => s.Id == 10 && s.Length > 0);
        switch (random.Next(12))
        {
            case 0:
            {
                var at = Position(module, random);
                var bit = random.Next(8);
                return (With(module, at, (byte)(module[at] ^ (1 << bit))), $"flip bit {bit} at {at}");
            }
            case 1:
            {
                var at = Position(module, random);
                var value = BoundaryBytes[random.Next(BoundaryBytes.Length)];
                return (With(module, at, value), $"write 0x{value:x2} at {at}");
            }
            case 2:
            {
                var at = Position(module, random);
                return ([.. module[..at], .. module[(at + 1)..]], $"delete byte {at}");
            }
            case 3:
            {
                var at = Position(module, random);
                var value = (byte)random.Next(256);
                return ([.. module[..at], value, .. module[at..]], $"insert 0x{value:x2} at {at}");
            }
            case 4:
            {
                var at = Position(module, random);
                return (module[..at], $"truncate to {at} bytes");
            }
            case 5:
            {
                var at = Position(module, random);
                var length = Math.Min(1 + random.Next(16), module.Length - at);
                return ([.. module[..(at + length)], .. module[at..]], $"repeat {length} bytes at {at}");
            }
            case 6 when code is not null:
            {
                var at = code.PayloadStart + random.Next(code.PayloadEnd - code.PayloadStart);
                var value = (byte)random.Next(256);
                return (With(module, at, value), $"write 0x{value:x2} at {at} in the code section");
            }
            case 7 when sections.Count > 0:
            {
                var index = random.Next(sections.Count);
                var section = sections[index];
                var bytes = module[section.Start..section.PayloadEnd];
                switch (random.Next(3))
                {
                    case 0:
                        return ([.. module[..section.Start], .. module[section.PayloadEnd..]], $"drop section {index} (id {section.Id})");
                    case 1:
                        return ([.. module[..section.PayloadEnd], .. bytes, .. module[section.PayloadEnd..]], $"duplicate section {index} (id {section.Id})");
                    default:
                        if (index + 1 >= sections.Count)
                        {
                            goto case 0;
                        }

                        var next = sections[index + 1];
                        return ([.. module[..section.Start], .. module[next.Start..next.PayloadEnd], .. bytes, .. module[next.PayloadEnd..]],
                            $"swap sections {index} and {index + 1} (ids {section.Id}, {next.Id})");
                }
            }
            case 8 or 9 when code is not null && Pick(module, code, random, b => GroupOf(b) is not null) is { } at:
            {
                var (first, last) = GroupOf(module[at])!.Value;
                var value = (byte)(first + random.Next(last - first + 1));
                return (With(module, at, value), $"swap opcode 0x{module[at]:x2} for 0x{value:x2} at {at}");
            }
            case 10 or 11 when code is not null && Pick(module, code, random, b => b is 0x41 or 0x42) is { } at && at + 1 < code.PayloadEnd:
            {
                var value = ConstantBytes[random.Next(ConstantBytes.Length)];
                return (With(module, at + 1, value), $"write constant byte 0x{value:x2} at {at + 1}");
            }
            default:
            {
                var at = Position(module, random);
                var value = (byte)random.Next(256);
                return (With(module, at, value), $"write 0x{value:x2} at {at}");
            }
        }
    }

    /// <summary>A random position in the code section whose byte satisfies <paramref name="wanted"/>, if any.</summary>
    private static int? Pick(byte[] module, Section code, Random random, Func<byte, bool> wanted)
    {
        var candidates = Enumerable.Range(code.PayloadStart, code.Length).Where(i => wanted(module[i])).ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private static (byte First, byte Last)? GroupOf(byte opcode)
    {
        foreach (var group in OpcodeGroups)
        {
            if (opcode >= group.First && opcode <= group.Last)
            {
                return group;
            }
        }

        return null;
    }

    private static int Position(byte[] module, Random random) => HeaderLength + random.Next(module.Length - HeaderLength);

    private static byte[] With(byte[] module, int at, byte value)
    {
        var copy = (byte[])module.Clone();
        copy[at] = value;
        return copy;
    }

    private sealed record Section(byte Id, int Start, int PayloadStart, int PayloadEnd)
    {
        public int Length => PayloadEnd - PayloadStart;
    }

    /// <summary>The sections of a well-formed module; stops at the first one that does not parse.</summary>
    private static List<Section> Sections(byte[] module)
    {
        var sections = new List<Section>();
        var at = HeaderLength;
        while (at < module.Length)
        {
            var start = at;
            var id = module[at++];
            uint size = 0;
            var shift = 0;
            byte next;
            do
            {
                if (at >= module.Length || shift > 28)
                {
                    return sections;
                }

                next = module[at++];
                size |= (uint)(next & 0x7F) << shift;
                shift += 7;
            }
            while ((next & 0x80) != 0);

            if (size > module.Length - at)
            {
                return sections;
            }

            sections.Add(new Section(id, start, at, at + (int)size));
            at += (int)size;
        }

        return sections;
    }
}
