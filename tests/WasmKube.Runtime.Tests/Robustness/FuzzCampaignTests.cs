using WasmKube.Fuzz;
using Xunit.Abstractions;

namespace WasmKube.Runtime.Tests.Robustness;

/// <summary>
/// A CI-sized mutation campaign (bench/fuzz runs the long one): mutants of the spec suite's modules are decoded,
/// validated, compiled, instantiated with dummy imports and every export is called under fuel and a deadline, in
/// child processes. Only the engine's own outcomes may come back, nothing may hang or kill its process, and no mutant
/// may take more than 2 s or 256 MiB to compile.
/// </summary>
public sealed class FuzzCampaignTests(ITestOutputHelper output)
{
    /// <summary>WASMKUBE_FUZZ_MUTANTS overrides the count for a longer local run.</summary>
    private static long Mutants => long.TryParse(Environment.GetEnvironmentVariable("WASMKUBE_FUZZ_MUTANTS"), out var n) ? n : 20_000;

    [SpecSuiteFact]
    public void MutantsOfTheSpecSuiteOnlyMeetTheEnginesOwnOutcomes()
    {
        var work = Directory.CreateTempSubdirectory("wasmkube-fuzz-");
        try
        {
            var summary = Campaign.Run(new CampaignOptions(SpecScripts.Directory!, work.FullName, Mutants, Seed: 20_261_204) { Workers = 2 });
            output.WriteLine(summary.ToString());
            Assert.Equal(Mutants, summary.Classes.Values.Sum());
            Assert.True(summary.Unexpected + summary.Hangs + summary.DeadProcesses + summary.OverCompileLimits == 0,
                "mutants outside the engine's own outcomes:\n" + string.Join("\n", summary.Reproducers));

            // The mix must reach every stage, or the campaign proves little.
            foreach (var outcome in (string[])["malformed", "invalid", "compile-limit", "ran"])
            {
                Assert.True(summary.Classes.GetValueOrDefault(outcome) > 0, $"no mutant ended {outcome}");
            }

            Assert.True(summary.CallOutcomes.GetValueOrDefault("returned") > 0, "no export call returned");
            Assert.Contains(summary.CallOutcomes.Keys, k => k.StartsWith("trap:", StringComparison.Ordinal));
            Assert.Equal(Mutator.Kinds.Order(), summary.MutationMix.Keys.Order());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
