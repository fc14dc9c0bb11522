using System.Diagnostics;
using WasmKube.Runtime;

namespace WasmKube.Fuzz;

/// <summary>
/// Cost of deep nesting per control construct: one function of N nested levels, compiled and called once (the call
/// pays the JIT) in a fresh process each, so the peak resident memory is that module's alone. Nested blocks are the
/// baseline.
/// </summary>
public static class NestingBench
{
    private static readonly (string Name, byte[] Open)[] Constructs =
    [
        ("block", [0x02, 0x40]),
        ("loop", [0x03, 0x40]),
        ("loop+br_if", [0x03, 0x40, 0x41, 0x00, 0x0D, 0x00]),
        ("if", [0x41, 0x01, 0x04, 0x40]),
        ("block+load", [0x02, 0x40, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A]),
    ];

    public static int Run(int levels)
    {
        Console.WriteLine($"{levels:N0} nested levels, one function; compile = Module.FromBytes, call = first call (JIT included)");
        Console.WriteLine("| construct | module KiB | compile s | call s | peak RSS MiB | time/block | memory/block |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        double? baseTime = null, baseMemory = null;
        foreach (var (name, _) in Constructs)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(NestingBench).Assembly.Location);
            foreach (var argument in (string[])["nesting-one", name, levels.ToString()]) start.ArgumentList.Add(argument);
            using var child = Process.Start(start)!;
            var line = child.StandardOutput.ReadToEnd().Trim();
            child.WaitForExit();
            var parts = line.Split(' ');
            if (child.ExitCode != 0 || parts.Length != 4)
            {
                Console.WriteLine($"| {name} | failed: {line} |");
                continue;
            }

            var (size, compile, call, peak) = (double.Parse(parts[0]), double.Parse(parts[1]), double.Parse(parts[2]), double.Parse(parts[3]));
            baseTime ??= compile + call;
            baseMemory ??= peak;
            Console.WriteLine($"| {name} | {size / 1024:0} | {compile:0.000} | {call:0.000} | {peak / 1048576:0} | {(compile + call) / baseTime:0.00} | {peak / baseMemory:0.00} |");
        }

        return 0;
    }

    /// <summary>The child: prints module bytes, compile seconds, first-call seconds and peak RSS bytes.</summary>
    public static int One(string construct, int levels)
    {
        var open = Constructs.Single(c => c.Name == construct).Open;
        var body = new List<byte> { 0x00 };
        for (var i = 0; i < levels; i++) body.AddRange(open);
        for (var i = 0; i < levels; i++) body.Add(0x0B);
        body.Add(0x0B);
        List<byte> code = [0x01, .. Leb.Unsigned((uint)body.Count), .. body];
        List<byte> module =
        [
            0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
            0x03, 0x02, 0x01, 0x00,
            0x05, 0x03, 0x01, 0x00, 0x01,
            0x07, 0x05, 0x01, 0x01, (byte)'f', 0x00, 0x00,
            0x0A, .. Leb.Unsigned((uint)code.Count), .. code,
        ];
        var engine = new Engine();
        var watch = Stopwatch.StartNew();
        var compiled = Module.FromBytes(engine, [.. module]);
        var compile = watch.Elapsed.TotalSeconds;
        var function = new Linker().Instantiate(new Store(engine), compiled).GetFunction("f")!;
        watch.Restart();
        function.Invoke();
        var call = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{module.Count} {compile} {call} {Process.GetCurrentProcess().PeakWorkingSet64}");
        return 0;
    }
}
