using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace WasmKube.Fuzz;

public sealed record CampaignOptions(string SuiteDirectory, string WorkDirectory, long Mutants, int Seed)
{
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Mutants one child process runs before a fresh one takes over.</summary>
    public int BatchSize { get; init; } = 2_000;

    /// <summary>A child that reports nothing for this long is hung on its current mutant.</summary>
    public TimeSpan HangTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static FuzzLimits DefaultLimits { get; } = new(TimeSpan.FromSeconds(2), 256L << 20, 100_000, TimeSpan.FromSeconds(1));

    public FuzzLimits Limits { get; init; } = DefaultLimits;

    public Action<string>? Progress { get; init; }
}

/// <summary>The figures of a finished campaign.</summary>
public sealed class CampaignSummary
{
    public long Mutants { get; set; }

    public int Seeds { get; set; }

    public double Seconds { get; set; }

    public SortedDictionary<string, long> Classes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> CallOutcomes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> MutationMix { get; } = new(StringComparer.Ordinal);

    public long Unexpected { get; set; }

    public long Hangs { get; set; }

    public long DeadProcesses { get; set; }

    public long OverCompileLimits { get; set; }

    public double MaxCompileSeconds { get; set; }

    public double MaxCompileCpuSeconds { get; set; }

    public long MaxCompileBytes { get; set; }

    public double MaxMutantSeconds { get; set; }

    public string? SlowestMutant { get; set; }

    public SortedDictionary<string, double> SecondsByKind { get; } = new(StringComparer.Ordinal);

    public long MaxChildPeakBytes { get; set; }

    public List<string> Reproducers { get; } = [];

    public override string ToString() => string.Join('\n',
    [
        $"{Mutants:N0} mutants of {Seeds:N0} seed modules in {Seconds:0.0} s ({Mutants / Math.Max(Seconds, 1e-9):0} per second)",
        $"unexpected {Unexpected}, hangs {Hangs}, dead processes {DeadProcesses}, over compile limits {OverCompileLimits}",
        $"max compile {MaxCompileCpuSeconds:0.000} s processor time ({MaxCompileSeconds:0.000} s wall clock) and {MaxCompileBytes / 1048576.0:0.0} MiB allocated; max mutant (compile, instantiate, calls) {MaxMutantSeconds:0.000} s; max child peak RSS {MaxChildPeakBytes / 1048576.0:0} MiB",
        "outcomes: " + string.Join(", ", Classes.Select(c => $"{c.Key} {c.Value:N0}")),
        "export calls: " + string.Join(", ", CallOutcomes.Select(c => $"{c.Key} {c.Value:N0}")),
        "mutation mix: " + string.Join(", ", MutationMix.Select(c => $"{c.Key} {c.Value:N0}")),
        "seconds spent on mutants by kind: " + string.Join(", ", SecondsByKind.Select(c => $"{c.Key} {c.Value:0.0}")),
        $"slowest mutant: {SlowestMutant}",
        .. Reproducers.Take(20).Select(r => "reproducer: " + r),
    ]);
}

/// <summary>
/// Runs mutants in batches in child processes (this same program with the "child" command), watches each child for
/// hangs and deaths, tallies outcome classes and saves a reproducer with its recipe for anything that is not the
/// engine's own malformed, invalid, compile-limit, link or trap result.
/// </summary>
public static class Campaign
{
    public static CampaignSummary Run(CampaignOptions options)
    {
        var watch = Stopwatch.StartNew();
        var seedsDirectory = Path.Combine(options.WorkDirectory, "seeds");
        var reproducers = Path.Combine(options.WorkDirectory, "reproducers");
        if (Directory.Exists(reproducers)) Directory.Delete(reproducers, recursive: true);
        Directory.CreateDirectory(reproducers);
        var seeds = PrepareSeeds(options.SuiteDirectory, seedsDirectory);
        var summary = new CampaignSummary { Mutants = options.Mutants, Seeds = seeds.Count };
        var mutator = new Mutator(seeds, options.Seed);
        var batches = new ConcurrentQueue<(long From, long Count)>();
        for (long from = 0; from < options.Mutants; from += options.BatchSize) batches.Enqueue((from, Math.Min(options.BatchSize, options.Mutants - from)));
        var gate = new object();
        var done = 0L;

        void Record(long index, double seconds, string line)
        {
            var result = JsonSerializer.Deserialize<MutantResult>(line)!;
            var recipe = mutator.Mutant(index).Recipe;
            lock (gate)
            {
                done++;
                summary.Classes[result.Class] = summary.Classes.GetValueOrDefault(result.Class) + 1;
                foreach (var call in result.Calls)
                {
                    var key = call.StartsWith("unexpected", StringComparison.Ordinal) ? call.Split(':')[0] + ":" + call.Split(':')[1] : call;
                    summary.CallOutcomes[key] = summary.CallOutcomes.GetValueOrDefault(key) + 1;
                }

                foreach (var kind in Mutator.KindsOf(recipe)) summary.MutationMix[kind] = summary.MutationMix.GetValueOrDefault(kind) + 1;
                summary.MaxCompileSeconds = Math.Max(summary.MaxCompileSeconds, result.CompileSeconds);
                summary.MaxCompileCpuSeconds = Math.Max(summary.MaxCompileCpuSeconds, result.CompileCpuSeconds);
                foreach (var kind in Mutator.KindsOf(recipe).Distinct()) summary.SecondsByKind[kind] = summary.SecondsByKind.GetValueOrDefault(kind) + seconds;
                if (seconds > summary.MaxMutantSeconds)
                {
                    summary.MaxMutantSeconds = seconds;
                    summary.SlowestMutant = $"{index} ({recipe}): {result.Class}, compile {result.CompileCpuSeconds:0.000} s processor time, {result.CompileSeconds:0.000} s wall clock";
                }

                summary.MaxCompileBytes = Math.Max(summary.MaxCompileBytes, result.CompileBytes);
                // Processor time, not wall-clock time: on a machine shared with other work a mutant also waits for a core.
                var overLimits = result.CompileCpuSeconds > options.Limits.CompileTime.TotalSeconds || result.CompileBytes > options.Limits.CompileBytes;
                if (overLimits) summary.OverCompileLimits++;
                if (result.Unexpected) summary.Unexpected++;
                if (result.Unexpected || overLimits) SaveReproducer(summary, reproducers, mutator, index, result.Unexpected ? "unexpected" : "slow", line);
                if (done % 10_000 == 0) options.Progress?.Invoke($"{done:N0} mutants, {watch.Elapsed.TotalSeconds:0} s");
            }
        }

        void Lost(long index, string what, string detail)
        {
            lock (gate)
            {
                done++;
                if (what == "hang") summary.Hangs++;
                else summary.DeadProcesses++;
                summary.Classes[what] = summary.Classes.GetValueOrDefault(what) + 1;
                SaveReproducer(summary, reproducers, mutator, index, what, detail);
            }
        }

        var workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(() =>
        {
            while (batches.TryDequeue(out var batch))
            {
                var next = batch.From;
                var end = batch.From + batch.Count;
                while (next < end) next = RunChild(options, seedsDirectory, next, end, Record, Lost, summary, gate);
            }
        })).ToArray();
        Task.WaitAll(workers);
        summary.Seconds = watch.Elapsed.TotalSeconds;
        return summary;
    }

    /// <summary>Runs mutants [from, end) in one child until it finishes, hangs or dies; returns where to go on.</summary>
    private static long RunChild(CampaignOptions options, string seeds, long from, long end, Action<long, double, string> record, Action<long, string, string> lost, CampaignSummary summary, object gate)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[typeof(Campaign).Assembly.Location, "child", seeds, options.Seed.ToString(), from.ToString(), (end - from).ToString(),
            options.Limits.CompileTime.TotalMilliseconds.ToString(), options.Limits.CompileBytes.ToString(), options.Limits.Fuel.ToString(), options.Limits.CallDeadline.TotalMilliseconds.ToString()])
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start a fuzzing child process");
        var errors = child.StandardError.ReadToEndAsync();
        var current = from;
        var started = false;
        long peak = 0;
        while (true)
        {
            var read = child.StandardOutput.ReadLineAsync();
            if (!read.Wait(options.HangTimeout))
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
                lost(current, "hang", $"no progress for {options.HangTimeout.TotalSeconds} s");
                return current + 1;
            }

            var line = read.Result;
            if (line is null)
            {
                child.WaitForExit();
                if (child.ExitCode == 0 && current == end) return end;
                if (!started) throw new InvalidOperationException($"fuzzing child exited with {child.ExitCode} before its first mutant: {errors.Result}");
                lost(current, "dead-process", $"exit code {child.ExitCode}: {Tail(errors.Result)}");
                return current + 1;
            }

            started = true;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                // Not one of ours: something in the engine wrote to stdout.
                Console.Error.WriteLine($"fuzzing child, mutant {current}: {line}");
                continue;
            }

            var tag = line[..space];
            var rest = line[(space + 1)..];
            switch (tag)
            {
                case "S":
                    current = long.Parse(rest);
                    break;
                case "R":
                    var seconds = rest.IndexOf(' ', StringComparison.Ordinal);
                    record(current, double.Parse(rest[..seconds]), rest[(seconds + 1)..]);
                    current++;
                    break;
                case "P":
                    peak = long.Parse(rest);
                    lock (gate) summary.MaxChildPeakBytes = Math.Max(summary.MaxChildPeakBytes, peak);
                    break;
            }
        }
    }

    /// <summary>The child side: runs mutants [from, from + count) on the engine, one line per step on stdout.</summary>
    public static int Child(string[] args)
    {
        var seeds = Directory.GetFiles(args[1], "*.wasm").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var mutator = new Mutator(seeds, int.Parse(args[2]));
        var from = long.Parse(args[3]);
        var count = long.Parse(args[4]);
        var limits = new FuzzLimits(TimeSpan.FromMilliseconds(double.Parse(args[5])), long.Parse(args[6]), long.Parse(args[7]), TimeSpan.FromMilliseconds(double.Parse(args[8])));
        IFuzzTarget target = new WasmKubeTarget();

        // Warm up, so that JIT-compiling the engine itself is not charged to the batch's first mutant.
        target.Run(seeds[0], limits);
        var output = Console.Out;
        for (var i = from; i < from + count; i++)
        {
            output.WriteLine($"S {i}");
            output.Flush();
            var (bytes, _) = mutator.Mutant(i);
            var watch = Stopwatch.StartNew();
            var result = target.Run(bytes, limits);
            output.WriteLine($"R {watch.Elapsed.TotalSeconds} " + JsonSerializer.Serialize(result));
        }

        output.WriteLine($"P {Process.GetCurrentProcess().PeakWorkingSet64}");
        output.Flush();
        return 0;
    }

    /// <summary>Converts every script of the spec suite and keeps the distinct valid modules as seeds.</summary>
    public static List<byte[]> PrepareSeeds(string suite, string seedsDirectory)
    {
        if (Directory.Exists(seedsDirectory) && Directory.GetFiles(seedsDirectory, "*.wasm").Length > 0)
        {
            return [.. Directory.GetFiles(seedsDirectory, "*.wasm").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
        }

        Directory.CreateDirectory(seedsDirectory);
        var scratch = Directory.CreateTempSubdirectory("wasmkube-fuzz-seeds-");
        try
        {
            var seen = new HashSet<string>();
            foreach (var wast in Directory.GetFiles(suite, "*.wast").Order(StringComparer.Ordinal))
            {
                var json = Path.Combine(scratch.FullName, Path.GetFileNameWithoutExtension(wast) + ".json");
                var convert = new ProcessStartInfo("wast2json") { ArgumentList = { "--enable-all", wast, "-o", json }, RedirectStandardError = true, RedirectStandardOutput = true };
                using (var process = Process.Start(convert) ?? throw new InvalidOperationException("could not start wast2json; install wabt"))
                {
                    process.StandardError.ReadToEnd();
                    process.WaitForExit();
                    if (process.ExitCode != 0) continue;
                }

                using var document = JsonDocument.Parse(File.ReadAllBytes(json));
                foreach (var command in document.RootElement.GetProperty("commands").EnumerateArray())
                {
                    if (command.GetProperty("type").GetString() != "module" || !command.TryGetProperty("filename", out var file)
                        || (command.TryGetProperty("module_type", out var type) && type.GetString() != "binary"))
                    {
                        continue;
                    }

                    var bytes = File.ReadAllBytes(Path.Combine(scratch.FullName, file.GetString()!));
                    var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                    if (seen.Add(hash)) File.WriteAllBytes(Path.Combine(seedsDirectory, $"{Path.GetFileNameWithoutExtension(wast)}-{hash[..12]}.wasm"), bytes);
                }
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        return [.. Directory.GetFiles(seedsDirectory, "*.wasm").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
    }

    private static void SaveReproducer(CampaignSummary summary, string directory, Mutator mutator, long index, string what, string detail)
    {
        var (bytes, recipe) = mutator.Mutant(index);
        var stem = Path.Combine(directory, $"{what}-{index}");
        File.WriteAllBytes(stem + ".wasm", bytes);
        File.WriteAllText(stem + ".txt", $"mutant {index}\nrecipe: {recipe}\noutcome: {detail}\n");
        summary.Reproducers.Add($"{stem}.wasm ({recipe}): {Tail(detail)}");
    }

    private static string Tail(string text) => text.Length <= 400 ? text : text[^400..];

    /// <summary>The dotnet host to start children with: the one running this process when it is dotnet.</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
