namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Shared by every script test: the suite location, one engine, the wast2json cache and the totals. When all
/// scripts have run, writes the totals to the file named by WASMKUBE_SPEC_SUMMARY (./test.sh prints it).
/// </summary>
public sealed class SpecSuiteFixture : IAsyncLifetime
{
    public const string SummaryVariable = "WASMKUBE_SPEC_SUMMARY";

    public SpecSuiteFixture()
    {
        Location = SpecSuiteLocation.Find();
        Converter = Location.Directory is null ? null : new WastConverter(Location.Directory, Location.ScriptFiles);
    }

    internal SpecSuiteLocation Location { get; }

    internal WastConverter? Converter { get; }

    internal Engine Engine { get; } = new();

    internal SpecTally Tally { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Converter is not null)
        {
            await Converter.DisposeAsync();
        }

        if (Environment.GetEnvironmentVariable(SummaryVariable) is { Length: > 0 } summaryPath)
        {
            var lines = Location.Directory is null
                ? $"spec: 0 files, 0 commands passed, 0 failed, 0 skipped ({Location.MissingReason})\n"
                : $"{Tally.SummaryLine}\n{Tally.MessageLine}\n";
            await File.WriteAllTextAsync(summaryPath, lines);
        }
    }
}
