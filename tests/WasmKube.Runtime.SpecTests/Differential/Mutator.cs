namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>
/// Simple deterministic mutations of a binary module: byte-level (flip a bit, write a boundary value, insert,
/// delete, truncate, duplicate a run), a byte of the code section (opcode and immediate soup), and section-level
/// (drop, duplicate or swap sections). The 8-byte header is left alone: mutating it only tests the magic check.
/// </summary>
internal static class Mutator
{
    private const int HeaderLength = 8;
    private static readonly byte[] BoundaryBytes = [0x00, 0x01, 0x0B, 0x40, 0x41, 0x7F, 0x80, 0xFF];

    public static (byte[] Mutant, string How) Mutate(byte[] module, Random random)
    {
        if (module.Length <= HeaderLength)
        {
            return ([.. module, (byte)random.Next(256)], "append a byte");
        }

        var sections = Sections(module);
        switch (random.Next(8))
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
            case 6 when sections.FirstOrDefault(s => s.Id == 10) is { Length: > 0 } code:
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
            default:
            {
                var at = Position(module, random);
                var value = (byte)random.Next(256);
                return (With(module, at, value), $"write 0x{value:x2} at {at}");
            }
        }
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
