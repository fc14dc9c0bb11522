using System.Globalization;
using WasmKube.Bench.Kernels;

// Runs every kernel natively (gcc), under V8 (node) and under each WasmKube engine (Wasmtime and the wasm-to-CIL
// engine) with the same input, checks that the checksums agree, and prints each kernel's time ratios engine/native
// and engine/V8 with their geometric means. bench/engine/run.sh builds the kernels and calls this; see bench/README.md.

var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: WasmKube.Bench.Kernels --build <folder with KERNEL.wasm and KERNEL.native> --v8-driver <v8.mjs> [--runs N] [--only k1,k2] [--node PATH]");
    return 2;
}

var kernels = Kernel.All.Where(k => options.Only.Count == 0 || options.Only.Contains(k.Name)).ToList();
var engines = EngineRunner.Engines;
var rows = new List<(Kernel Kernel, Measurement Native, Measurement V8, Measurement[] Engines, double[] Setup)>();

// Let each engine's own code be JIT-compiled once, so the first kernel's setup time is not charged with it.
foreach (var name in engines)
{
    try
    {
        EngineRunner.Load(name, Path.Combine(options.BuildFolder, kernels[0].Name + ".wasm"));
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"warming up {name} failed: {e.GetType().Name}: {e.Message}");
    }
}

foreach (var kernel in kernels)
{
    var wasm = Path.Combine(options.BuildFolder, kernel.Name + ".wasm");
    var input = kernel.Input.ToString(CultureInfo.InvariantCulture);
    Console.Error.WriteLine($"running {kernel.Name} ({input}): {options.Runs} rounds of native, V8, {string.Join(", ", engines)}");

    var loaded = engines.Select(name =>
    {
        try
        {
            return (Runner: EngineRunner.Load(name, wasm), Error: (string?)null);
        }
        catch (Exception e)
        {
            return (Runner: (EngineRunner?)null, Error: $"{e.GetType().Name}: {e.Message}");
        }
    }).ToList();

    // Rounds alternate the runtimes so that load from other work on the machine spreads over all of them.
    var native = new List<Measurement>();
    var v8 = new List<Measurement>();
    var perEngine = engines.Select(_ => new List<Measurement>()).ToList();
    for (var round = 0; round < options.Runs; round++)
    {
        native.Add(await ExternalRunner.RunAsync(Path.Combine(options.BuildFolder, kernel.Name + ".native"), [input, "1"], CancellationToken.None));
        v8.Add(await ExternalRunner.RunAsync(options.Node, ["--no-liftoff", options.V8Driver, wasm, input, "1"], CancellationToken.None));
        for (var e = 0; e < engines.Count; e++)
        {
            perEngine[e].Add(loaded[e].Runner is { } runner ? CallSafely(runner, kernel.Input) : Measurement.Failed(loaded[e].Error!));
        }
    }

    rows.Add((kernel, Measurement.Combine(native), Measurement.Combine(v8), [.. perEngine.Select(Measurement.Combine)],
        [.. loaded.Select(l => l.Runner?.SetupSeconds ?? double.NaN)]));
}

var invariant = CultureInfo.InvariantCulture;
string Seconds(Measurement m) => m.Succeeded ? m.Best.ToString("0.000", invariant) : "failed";
string Ratio(double value) => double.IsFinite(value) ? value.ToString("0.00", invariant) : "-";

var header = $"{"kernel",-8} {"kind",-8} {"input",10} {"native s",9} {"V8 s",9}";
foreach (var name in engines) header += $" {name + " s",11} {"/native",8} {"/V8",6}";
Console.WriteLine(header + "  checksum");
var nativeRatios = engines.Select(_ => new List<double>()).ToList();
var v8Ratios = engines.Select(_ => new List<double>()).ToList();
var problems = new List<string>();
foreach (var (kernel, native, v8, measured, setup) in rows)
{
    var all = new[] { native, v8 }.Concat(measured).ToList();
    var checksums = all.Where(m => m.Succeeded).Select(m => m.Checksum).Distinct().ToList();
    var verdict = checksums.Count == 1 ? $"0x{checksums[0]:x8}" : checksums.Count == 0 ? "none" : "MISMATCH";
    if (checksums.Count > 1)
    {
        problems.Add($"{kernel.Name}: checksums differ (native {native.Checksum}, V8 {v8.Checksum}, {string.Join(", ", engines.Select((n, i) => $"{n} {measured[i].Checksum}"))})");
    }

    var line = $"{kernel.Name,-8} {kernel.Kind,-8} {kernel.Input,10} {Seconds(native),9} {Seconds(v8),9}";
    for (var e = 0; e < engines.Count; e++)
    {
        var ours = measured[e];
        var ratioNative = ours.Succeeded && native.Succeeded ? ours.Best / native.Best : double.NaN;
        var ratioV8 = ours.Succeeded && v8.Succeeded ? ours.Best / v8.Best : double.NaN;
        // A wrong result is not a speed: only kernels whose checksums agree enter the means.
        if (checksums.Count == 1)
        {
            if (double.IsFinite(ratioNative)) nativeRatios[e].Add(ratioNative);
            if (double.IsFinite(ratioV8)) v8Ratios[e].Add(ratioV8);
        }

        line += $" {Seconds(ours),11} {Ratio(ratioNative),8} {Ratio(ratioV8),6}";
    }

    foreach (var (runtime, m) in new[] { ("native", native), ("V8", v8) }.Concat(engines.Select((n, i) => (n, measured[i]))).Where(p => !p.Item2.Succeeded))
    {
        problems.Add($"{kernel.Name} {runtime}: {m.Error}");
    }

    Console.WriteLine(line + $"  {verdict}  (setup s: {string.Join(", ", engines.Select((n, i) => $"{n} {(double.IsFinite(setup[i]) ? setup[i].ToString("0.000", invariant) : "-")}"))})");
}

static Measurement CallSafely(EngineRunner engine, uint input)
{
    try
    {
        return engine.Call(input);
    }
    catch (Exception e)
    {
        return Measurement.Failed($"{e.GetType().Name}: {e.Message}");
    }
}

static double GeometricMean(List<double> values) =>
    values.Count == 0 ? double.NaN : Math.Exp(values.Sum(Math.Log) / values.Count);

var means = $"{"geometric mean",-48}";
for (var e = 0; e < engines.Count; e++) means += $" {"",11} {Ratio(GeometricMean(nativeRatios[e])),8} {Ratio(GeometricMean(v8Ratios[e])),6}";
Console.WriteLine(means);
Console.WriteLine($"(best of {options.Runs} calls per kernel and runtime, in alternating rounds; ratios over the kernels whose checksums agree)");
foreach (var problem in problems)
{
    Console.WriteLine($"problem: {problem}");
}

return problems.Count == 0 ? 0 : 1;
