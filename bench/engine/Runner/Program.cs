using System.Globalization;
using WasmKube.Bench.Kernels;

// Runs every kernel natively (gcc), under V8 (node) and under WasmKube's engine with the same input, checks that the
// three checksums agree, and prints each kernel's time ratios ours/native and ours/V8 with their geometric means.
// bench/engine/run.sh builds the kernels and calls this; see bench/README.md.

var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: WasmKube.Bench.Kernels --build <folder with KERNEL.wasm and KERNEL.native> --v8-driver <v8.mjs> [--runs N] [--only k1,k2] [--node PATH]");
    return 2;
}

var kernels = Kernel.All.Where(k => options.Only.Count == 0 || options.Only.Contains(k.Name)).ToList();
var rows = new List<(Kernel Kernel, Measurement Native, Measurement V8, Measurement Ours, double Setup)>();

// Let the engine's own code be JIT-compiled once, so the first kernel's setup time is not charged with it.
try
{
    EngineRunner.Load(Path.Combine(options.BuildFolder, kernels[0].Name + ".wasm"));
}
catch (Exception e)
{
    Console.Error.WriteLine($"warming up the engine failed: {e.GetType().Name}: {e.Message}");
}

foreach (var kernel in kernels)
{
    var wasm = Path.Combine(options.BuildFolder, kernel.Name + ".wasm");
    var input = kernel.Input.ToString(CultureInfo.InvariantCulture);
    Console.Error.WriteLine($"running {kernel.Name} ({input}): {options.Runs} rounds of native, V8, ours");

    EngineRunner? engine = null;
    string? loadError = null;
    try
    {
        engine = EngineRunner.Load(wasm);
    }
    catch (Exception e)
    {
        loadError = $"{e.GetType().Name}: {e.Message}";
    }

    // Rounds alternate the runtimes so that load from other work on the machine spreads over all three.
    var native = new List<Measurement>();
    var v8 = new List<Measurement>();
    var ours = new List<Measurement>();
    for (var round = 0; round < options.Runs; round++)
    {
        native.Add(await ExternalRunner.RunAsync(Path.Combine(options.BuildFolder, kernel.Name + ".native"), [input, "1"], CancellationToken.None));
        v8.Add(await ExternalRunner.RunAsync(options.Node, ["--no-liftoff", options.V8Driver, wasm, input, "1"], CancellationToken.None));
        ours.Add(engine is null ? Measurement.Failed(loadError!) : CallSafely(engine, kernel.Input));
    }

    rows.Add((kernel, Measurement.Combine(native), Measurement.Combine(v8), Measurement.Combine(ours), engine?.SetupSeconds ?? double.NaN));
}

var invariant = CultureInfo.InvariantCulture;
string Seconds(Measurement m) => m.Succeeded ? m.Best.ToString("0.000", invariant) : "failed";
string Ratio(double value) => double.IsFinite(value) ? value.ToString("0.00", invariant) : "-";

Console.WriteLine($"{"kernel",-8} {"kind",-8} {"input",10} {"native s",9} {"V8 s",9} {"ours s",9} {"ours setup s",12} {"ours/native",11} {"ours/V8",8}  checksum");
var nativeRatios = new List<double>();
var v8Ratios = new List<double>();
var problems = new List<string>();
foreach (var (kernel, native, v8, ours, setup) in rows)
{
    var ratioNative = ours.Succeeded && native.Succeeded ? ours.Best / native.Best : double.NaN;
    var ratioV8 = ours.Succeeded && v8.Succeeded ? ours.Best / v8.Best : double.NaN;
    var checksums = new[] { native, v8, ours }.Where(m => m.Succeeded).Select(m => m.Checksum).Distinct().ToList();
    var verdict = checksums.Count == 1 ? $"0x{checksums[0]:x8}" : checksums.Count == 0 ? "none" : "MISMATCH";
    if (checksums.Count > 1)
    {
        problems.Add($"{kernel.Name}: checksums differ (native {native.Checksum}, V8 {v8.Checksum}, ours {ours.Checksum})");
    }
    else
    {
        // A wrong result is not a speed: only kernels whose checksums agree enter the means.
        if (double.IsFinite(ratioNative)) nativeRatios.Add(ratioNative);
        if (double.IsFinite(ratioV8)) v8Ratios.Add(ratioV8);
    }

    foreach (var (runtime, m) in new[] { ("native", native), ("V8", v8), ("ours", ours) }.Where(p => !p.Item2.Succeeded))
    {
        problems.Add($"{kernel.Name} {runtime}: {m.Error}");
    }

    var setupText = double.IsFinite(setup) ? setup.ToString("0.000", invariant) : "-";
    Console.WriteLine($"{kernel.Name,-8} {kernel.Kind,-8} {kernel.Input,10} {Seconds(native),9} {Seconds(v8),9} {Seconds(ours),9} {setupText,12} {Ratio(ratioNative),11} {Ratio(ratioV8),8}  {verdict}");
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

Console.WriteLine($"{"geometric mean",-71} {Ratio(GeometricMean(nativeRatios)),11} {Ratio(GeometricMean(v8Ratios)),8}");
Console.WriteLine($"(best of {options.Runs} calls per kernel and runtime, in alternating rounds; ratios over {nativeRatios.Count} of {rows.Count} kernels)");
foreach (var problem in problems)
{
    Console.WriteLine($"problem: {problem}");
}

return problems.Count == 0 ? 0 : 1;
