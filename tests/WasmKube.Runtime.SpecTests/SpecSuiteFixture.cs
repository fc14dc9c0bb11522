using WasmKube.Runtime.SpecTests.Differential;
using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Shared by every script test: the suite location, the engines, the wast2json cache and the totals. When all
/// scripts have run, writes the totals to the file named by WASMKUBE_SPEC_SUMMARY (./test.sh prints it): the
/// project's engine first (in its established wording), then Wasmtime and the differential run when they ran.
/// </summary>
public sealed class SpecSuiteFixture : IAsyncLifetime
{
    public const string SummaryVariable = "WASMKUBE_SPEC_SUMMARY";

    /// <summary>The test classes that run every script: each releases a converted script once.</summary>
    private const int ScriptConsumers = 4;

    private const long MutantMemoryLimit = 64L << 20;
    private const uint MutantTableLimit = 10_000_000;

    public SpecSuiteFixture()
    {
        Location = SpecSuiteLocation.Find();
        Converter = Location.Directory is null ? null : new WastConverter(Location.Directory, Location.ScriptFiles, ScriptConsumers);
    }

    internal SpecSuiteLocation Location { get; }

    internal WastConverter? Converter { get; }

    internal WasmKubeSpecEngine WasmKube { get; } = new();

    internal WasmtimeSpecEngine Wasmtime { get; } = new();

    /// <summary>The engines for mutants: fuel bounds every call, and stores are limited (see DocumentedDifferences).</summary>
    internal WasmKubeSpecEngine FuelledWasmKube { get; } = new(new EngineOptions { ConsumeFuel = true }, MutantMemoryLimit);

    internal WasmtimeSpecEngine FuelledWasmtime { get; } = new(consumeFuel: true, (MutantMemoryLimit, MutantTableLimit));

    internal SpecTally WasmKubeTally { get; } = new("spec");

    internal SpecTally WasmtimeTally { get; } = new("spec[wasmtime]");

    internal DifferentialTally DifferentialTally { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Converter is not null)
        {
            await Converter.DisposeAsync();
        }

        Wasmtime.Dispose();
        FuelledWasmtime.Dispose();
        if (Environment.GetEnvironmentVariable(SummaryVariable) is { Length: > 0 } summaryPath)
        {
            var lines = new List<string>();
            if (Location.Directory is null)
            {
                lines.Add($"spec: 0 files, 0 commands passed, 0 failed, 0 skipped ({Location.MissingReason})");
            }
            else if (WasmKubeTally.Ran || !(WasmtimeTally.Ran || DifferentialTally.Ran))
            {
                lines.AddRange([WasmKubeTally.SummaryLine, WasmKubeTally.MessageLine]);
            }

            if (WasmtimeTally.Ran)
            {
                lines.Add(WasmtimeTally.SummaryLine);
            }

            if (DifferentialTally.Ran)
            {
                lines.Add(DifferentialTally.SummaryLine);
            }

            await File.WriteAllLinesAsync(summaryPath, lines);
        }
    }
}
