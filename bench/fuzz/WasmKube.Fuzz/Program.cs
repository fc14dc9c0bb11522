using System.Globalization;
using SharpFuzz;
using WasmKube.Runtime;

namespace WasmKube.Fuzz;

/// <summary>
/// run [--mutants N] [--seed S] [--workers W] [--batch B] [--suite DIR] [--out DIR]: a mutation campaign;
/// nesting [LEVELS]: cost of deep nesting per construct; replay FILE: one module, as a campaign runs it; child ...: one batch (started by run); sharpfuzz: the coverage-guided target for afl-fuzz.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        switch (args.FirstOrDefault())
        {
            case "child":
                return Campaign.Child(args);
            case "sharpfuzz":
                Fuzzer.OutOfProcess.Run(SharpFuzzTarget);
                return 0;
            case "run":
                return RunCampaign(args[1..]);
            case "nesting":
                return NestingBench.Run(args.Length > 1 ? int.Parse(args[1]) : 40_000);
            case "nesting-one" when args.Length == 3:
                return NestingBench.One(args[1], int.Parse(args[2]));
            case "mutant" when args.Length == 5:
                // mutant SEEDS-DIR CAMPAIGN-SEED INDEX OUT.wasm: rebuilds one mutant of a campaign.
                var seeds = Directory.GetFiles(args[1], "*.wasm").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
                var (bytes, recipe) = new Mutator(seeds, int.Parse(args[2])).Mutant(long.Parse(args[3]));
                File.WriteAllBytes(args[4], bytes);
                Console.WriteLine(recipe);
                return 0;
            case "replay" when args.Length == 2:
                var result = new WasmKubeTarget().Run(File.ReadAllBytes(args[1]), CampaignOptions.DefaultLimits);
                Console.WriteLine(result);
                Console.WriteLine(string.Join('\n', result.Calls));
                return result.Unexpected ? 1 : 0;
            default:
                Console.Error.WriteLine("usage: WasmKube.Fuzz run [--mutants N] [--seed S] [--workers W] [--batch B] [--suite DIR] [--out DIR] | nesting [LEVELS] | mutant SEEDS SEED INDEX OUT.wasm | replay FILE.wasm | sharpfuzz");
                return 2;
        }
    }

    private static int RunCampaign(string[] args)
    {
        string Option(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }

        var options = new CampaignOptions(
            Path.GetFullPath(Option("--suite", "../shared/wasm-spec-testsuite")),
            Path.GetFullPath(Option("--out", Path.Combine(Path.GetTempPath(), "wasmkube-fuzz"))),
            long.Parse(Option("--mutants", "100000")),
            int.Parse(Option("--seed", "1")))
        {
            Workers = int.Parse(Option("--workers", Environment.ProcessorCount.ToString())),
            BatchSize = int.Parse(Option("--batch", "2000")),
            Progress = Console.WriteLine,
        };
        if (!Directory.Exists(options.SuiteDirectory))
        {
            Console.Error.WriteLine($"spec suite not found at {options.SuiteDirectory}: pass --suite DIR");
            return 2;
        }

        var summary = Campaign.Run(options);
        Console.WriteLine(summary);
        return summary.Unexpected + summary.Hangs + summary.DeadProcesses + summary.OverCompileLimits == 0 ? 0 : 1;
    }

    /// <summary>
    /// Decoding, validation and compilation of one input: the engine's own errors are answers, anything else
    /// escapes and is a crash for afl-fuzz.
    /// </summary>
    private static void SharpFuzzTarget(Stream input)
    {
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        try
        {
            Module.FromBytes(SharpFuzzEngine, buffer.ToArray());
        }
        catch (WasmException)
        {
        }
    }

    private static readonly Engine SharpFuzzEngine = new(new EngineOptions { MaxCompileTime = TimeSpan.FromSeconds(2), MaxCompileMemoryBytes = 256L << 20 });
}
