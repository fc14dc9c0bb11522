namespace WasmKube.Fuzz;

/// <summary>
/// Derives mutants from seed modules, at byte level and at the level of the module's structure (sections, function
/// bodies, limits, types). Mutant <c>i</c> of a campaign depends only on the campaign seed and <c>i</c>, so any
/// process can rebuild it, and its recipe says what was done.
/// </summary>
public sealed class Mutator(IReadOnlyList<byte[]> seeds, int campaignSeed)
{
    public static readonly string[] Kinds =
    [
        "truncate", "flip-byte", "random-bytes", "leb-continuation", "insert-bytes", "delete-range",
        "swap-sections", "duplicate-section", "delete-section", "resize-section",
        "replace-opcode", "deep-nesting", "deep-stack", "huge-locals", "extreme-limits", "change-type", "wide-type",
    ];

    // Opcodes worth planting into bodies: control, calls, memory, numerics and the prefixes.
    private static readonly byte[] Opcodes =
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x1A, 0x1B, 0x1C, 0x20, 0x21,
        0x22, 0x23, 0x24, 0x25, 0x26, 0x28, 0x29, 0x2C, 0x36, 0x37, 0x3F, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46,
        0x50, 0x67, 0x6A, 0x6D, 0x6E, 0x6F, 0x70, 0x7F, 0x80, 0x81, 0x8C, 0x95, 0xA7, 0xA8, 0xAA, 0xB0, 0xBC, 0xC0,
        0xD0, 0xD1, 0xD2, 0xFC, 0xFD,
    ];

    private static readonly byte[] ValueTypes = [0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F, 0x40, 0x00];

    public (byte[] Bytes, string Recipe) Mutant(long index)
    {
        var random = new Random(MixSeed(campaignSeed, index));
        var seedIndex = random.Next(seeds.Count);
        var bytes = seeds[seedIndex];
        var steps = new List<string> { $"seed {seedIndex}" };
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var kind = Kinds[random.Next(Kinds.Length)];
            var (mutated, what) = Apply(kind, bytes, random);
            bytes = mutated;
            steps.Add(what);
        }

        return (bytes, string.Join("; ", steps));
    }

    /// <summary>A seed for mutant <paramref name="index"/> that every process derives alike (SplitMix64's finalizer).</summary>
    private static int MixSeed(int campaignSeed, long index)
    {
        var z = ((ulong)(uint)campaignSeed << 32) ^ (ulong)index;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>The kinds of mutation a recipe applied, for the campaign's mutation mix.</summary>
    public static IEnumerable<string> KindsOf(string recipe) => recipe.Split("; ").Skip(1).Select(s => s.Split(' ')[0]);

    private static (byte[], string) Apply(string kind, byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        if (bytes.Length == 0 && kind != "insert-bytes") return (bytes, $"{kind} skipped (empty)");
        var sections = Sections.Parse(bytes);
        switch (kind)
        {
            case "truncate":
            {
                var length = random.Next(bytes.Length + 1);
                return (bytes[..length], $"truncate {length}");
            }

            case "flip-byte":
            {
                var at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                return (bytes, $"flip-byte {at}");
            }

            case "random-bytes":
            {
                var at = random.Next(bytes.Length);
                var count = Math.Min(random.Next(1, 8), bytes.Length - at);
                random.NextBytes(bytes.AsSpan(at, count));
                return (bytes, $"random-bytes {at}+{count}");
            }

            case "leb-continuation":
            {
                var at = random.Next(bytes.Length);
                bytes[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x80;
                return (bytes, $"leb-continuation {at}");
            }

            case "insert-bytes":
            {
                var at = random.Next(bytes.Length + 1);
                var extra = new byte[random.Next(1, 16)];
                random.NextBytes(extra);
                return ([.. bytes[..at], .. extra, .. bytes[at..]], $"insert-bytes {at}+{extra.Length}");
            }

            case "delete-range":
            {
                var at = random.Next(bytes.Length);
                var count = random.Next(1, Math.Min(64, bytes.Length - at) + 1);
                return ([.. bytes[..at], .. bytes[(at + count)..]], $"delete-range {at}+{count}");
            }
        }

        if (sections is null || sections.Count == 0) return (bytes, $"{kind} skipped (no sections)");
        switch (kind)
        {
            case "swap-sections":
            {
                int a = random.Next(sections.Count), b = random.Next(sections.Count);
                (sections[a], sections[b]) = (sections[b], sections[a]);
                return (Sections.Write(sections), $"swap-sections {a} {b}");
            }

            case "duplicate-section":
            {
                var a = random.Next(sections.Count);
                sections.Insert(random.Next(sections.Count + 1), sections[a]);
                return (Sections.Write(sections), $"duplicate-section {a}");
            }

            case "delete-section":
            {
                var a = random.Next(sections.Count);
                sections.RemoveAt(a);
                return (Sections.Write(sections), $"delete-section {a}");
            }

            case "resize-section":
            {
                // The declared size no longer matches the payload: bytes go missing or spill into the next section.
                var a = random.Next(sections.Count);
                var delta = random.Next(-8, 9);
                return (Sections.Write(sections, a, delta), $"resize-section {a} by {delta}");
            }

            case "extreme-limits":
                return ExtremeLimits(sections, random);
            case "wide-type":
                return WideType(sections, random);
            case "change-type":
            {
                var types = sections.FindIndex(s => s.Id == 1);
                if (types < 0 || sections[types].Payload.Length < 2) return (bytes, "change-type skipped (no types)");
                var payload = (byte[])sections[types].Payload.Clone();
                var at = random.Next(1, payload.Length);
                payload[at] = ValueTypes[random.Next(ValueTypes.Length)];
                sections[types] = sections[types] with { Payload = payload };
                return (Sections.Write(sections), $"change-type byte {at} to 0x{payload[at]:X2}");
            }
        }

        var code = sections.FindIndex(s => s.Id == 10);
        var bodies = code < 0 ? null : Sections.Bodies(sections[code].Payload);
        if (bodies is null || bodies.Count == 0) return (bytes, $"{kind} skipped (no bodies)");
        var which = random.Next(bodies.Count);
        var body = bodies[which];
        var localsEnd = Sections.LocalsEnd(body);
        string what;
        switch (kind)
        {
            case "replace-opcode":
            {
                if (localsEnd >= body.Length - 1) return (bytes, "replace-opcode skipped (empty body)");
                body = (byte[])body.Clone();
                var at = random.Next(localsEnd, body.Length - 1);
                body[at] = Opcodes[random.Next(Opcodes.Length)];
                what = $"replace-opcode body {which} at {at} with 0x{body[at]:X2}";
                break;
            }

            case "deep-nesting":
            {
                int[] depths = [100, 1_000, 10_000, 40_000, 100_000];
                var depth = depths[random.Next(depths.Length)];
                var construct = random.Next(4);
                var open = construct switch
                {
                    0 => new byte[] { 0x02, 0x40 },
                    1 => [0x03, 0x40],
                    2 => [0x03, 0x40, 0x41, 0x00, 0x0D, 0x00],
                    _ => [0x41, 0x01, 0x04, 0x40],
                };
                var nested = new List<byte>(depth * (open.Length + 1) + body.Length);
                nested.AddRange(body.AsSpan(0, localsEnd));
                for (var i = 0; i < depth; i++) nested.AddRange(open);
                for (var i = 0; i < depth; i++) nested.Add(0x0B);
                nested.AddRange(body.AsSpan(localsEnd));
                body = [.. nested];
                what = $"deep-nesting body {which} {depth} x {Convert.ToHexString(open)}";
                break;
            }

            case "deep-stack":
            {
                int[] depths = [1_000, 10_000, 60_000, 65_535, 65_536, 70_000];
                var depth = depths[random.Next(depths.Length)];
                var deep = new List<byte>(depth * 3 + body.Length);
                deep.AddRange(body.AsSpan(0, localsEnd));
                for (var i = 0; i < depth; i++) deep.AddRange([0x41, 0x00]);
                if (random.Next(2) == 0) deep.AddRange([0x02, 0x40, 0x41, 0x00, 0x0D, 0x00, 0x0B]);
                for (var i = 0; i < depth; i++) deep.Add(0x1A);
                deep.AddRange(body.AsSpan(localsEnd));
                body = [.. deep];
                what = $"deep-stack body {which} {depth}";
                break;
            }

            default:
            {
                // huge-locals: one more local declaration in front of the body's own.
                uint[] counts = [1_000, 49_999, 50_000, 50_001, 65_536, uint.MaxValue];
                var count = counts[random.Next(counts.Length)];
                var countEnd = 0;
                Leb.TryRead(body, ref countEnd, out var groups);
                List<byte> rewritten = [.. Leb.Unsigned(groups + 1), .. Leb.Unsigned(count), ValueTypes[random.Next(5)], .. body.AsSpan(Math.Min(countEnd, body.Length))];
                body = [.. rewritten];
                what = $"huge-locals body {which} {count}";
                break;
            }
        }

        bodies[which] = body;
        sections[code] = sections[code] with { Payload = Sections.WriteBodies(bodies) };
        return (Sections.Write(sections), what);
    }

    /// <summary>The first function type gets thousands of extra i32 parameters or results.</summary>
    private static (byte[], string) WideType(List<Section> sections, Random random)
    {
        var types = sections.FindIndex(s => s.Id == 1);
        if (types < 0) return (Sections.Write(sections), "wide-type skipped (no types)");
        var payload = sections[types].Payload;
        var at = 0;
        if (!Leb.TryRead(payload, ref at, out var count) || count == 0 || at >= payload.Length || payload[at] != 0x60) return (Sections.Write(sections), "wide-type skipped (no function type)");
        var start = at++;
        if (!Leb.TryRead(payload, ref at, out var parameters) || parameters > (uint)(payload.Length - at)) return (Sections.Write(sections), "wide-type skipped (unreadable type)");
        var parameterTypes = payload.AsSpan(at, (int)parameters).ToArray();
        at += (int)parameters;
        if (!Leb.TryRead(payload, ref at, out var results) || results > (uint)(payload.Length - at)) return (Sections.Write(sections), "wide-type skipped (unreadable type)");
        var resultTypes = payload.AsSpan(at, (int)results).ToArray();
        at += (int)results;
        int[] widths = [999, 1_000, 1_001, 5_000, 70_000];
        var extra = widths[random.Next(widths.Length)];
        var toResults = random.Next(2) == 0;
        byte[] widened(byte[] existing) => [.. existing, .. Enumerable.Repeat((byte)0x7F, extra)];
        var newParameters = toResults ? parameterTypes : widened(parameterTypes);
        var newResults = toResults ? widened(resultTypes) : resultTypes;
        List<byte> rewritten =
        [
            .. payload.AsSpan(0, start), 0x60,
            .. Leb.Unsigned((uint)newParameters.Length), .. newParameters,
            .. Leb.Unsigned((uint)newResults.Length), .. newResults,
            .. payload.AsSpan(at),
        ];
        sections[types] = sections[types] with { Payload = [.. rewritten] };
        return (Sections.Write(sections), $"wide-type {extra} more {(toResults ? "results" : "parameters")}");
    }

    private static (byte[], string) ExtremeLimits(List<Section> sections, Random random)
    {
        uint[] minimums = [0, 1, 65_535, 65_536, 65_537, 10_000_000, uint.MaxValue];
        var min = minimums[random.Next(minimums.Length)];
        uint? max = random.Next(3) switch { 0 => null, 1 => min, _ => minimums[random.Next(minimums.Length)] };
        List<byte> limits = [max is null ? (byte)0x00 : (byte)0x01, .. Leb.Unsigned(min)];
        if (max is { } m) limits.AddRange(Leb.Unsigned(m));
        if (random.Next(2) == 0)
        {
            sections.RemoveAll(s => s.Id == 5);
            sections.Add(new Section(5, [0x01, .. limits]));
            Sections.SortById(sections);
            return (Sections.Write(sections), $"extreme-limits memory {min}..{max}");
        }

        sections.RemoveAll(s => s.Id == 4);
        sections.Add(new Section(4, [0x01, 0x70, .. limits]));
        Sections.SortById(sections);
        return (Sections.Write(sections), $"extreme-limits table {min}..{max}");
    }
}

public sealed record Section(byte Id, byte[] Payload);

/// <summary>Splits a module into sections and code bodies and writes them back.</summary>
public static class Sections
{
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    // Where each known section must stand; data count (12) comes before code (10).
    private static readonly int[] Order = [0, 1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

    public static List<Section>? Parse(byte[] bytes)
    {
        if (bytes.Length < 8 || !bytes.AsSpan(0, 8).SequenceEqual(Header)) return null;
        var sections = new List<Section>();
        var at = 8;
        while (at < bytes.Length)
        {
            var id = bytes[at++];
            if (!Leb.TryRead(bytes, ref at, out var size) || size > (uint)(bytes.Length - at)) return null;
            sections.Add(new Section(id, bytes[at..(at + (int)size)]));
            at += (int)size;
        }

        return sections;
    }

    public static byte[] Write(List<Section> sections, int resized = -1, int delta = 0)
    {
        var bytes = new List<byte>(Header);
        for (var i = 0; i < sections.Count; i++)
        {
            bytes.Add(sections[i].Id);
            var size = sections[i].Payload.Length + (i == resized ? delta : 0);
            bytes.AddRange(Leb.Unsigned((uint)Math.Max(0, size)));
            bytes.AddRange(sections[i].Payload);
        }

        return [.. bytes];
    }

    public static void SortById(List<Section> sections)
    {
        var sorted = sections.OrderBy(s => Array.IndexOf(Order, (int)s.Id) is var i && i < 0 ? 100 : i).ToList();
        sections.Clear();
        sections.AddRange(sorted);
    }

    public static List<byte[]>? Bodies(byte[] payload)
    {
        var at = 0;
        if (!Leb.TryRead(payload, ref at, out var count)) return null;
        var bodies = new List<byte[]>();
        for (var i = 0u; i < count; i++)
        {
            if (!Leb.TryRead(payload, ref at, out var size) || size > (uint)(payload.Length - at)) return null;
            bodies.Add(payload[at..(at + (int)size)]);
            at += (int)size;
        }

        return bodies;
    }

    public static byte[] WriteBodies(List<byte[]> bodies)
    {
        var bytes = new List<byte>(Leb.Unsigned((uint)bodies.Count));
        foreach (var body in bodies)
        {
            bytes.AddRange(Leb.Unsigned((uint)body.Length));
            bytes.AddRange(body);
        }

        return [.. bytes];
    }

    /// <summary>Where the body's code starts (after the local declarations), as far as they parse.</summary>
    public static int LocalsEnd(byte[] body)
    {
        var at = 0;
        if (!Leb.TryRead(body, ref at, out var groups)) return 0;
        var start = at;
        for (var i = 0u; i < groups; i++)
        {
            if (!Leb.TryRead(body, ref at, out _) || at >= body.Length) return start;
            at++;
        }

        return Math.Min(at, body.Length);
    }
}

public static class Leb
{
    public static byte[] Unsigned(uint value)
    {
        var bytes = new List<byte>(5);
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    public static bool TryRead(byte[] bytes, ref int at, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (at >= bytes.Length) return false;
            var b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }

        return false;
    }
}
