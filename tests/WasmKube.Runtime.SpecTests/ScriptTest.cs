using WasmKube.Runtime.SpecTests.Engines;
using Xunit.Abstractions;

namespace WasmKube.Runtime.SpecTests;

/// <summary>One script on one engine, as a test: converts it, runs it, adds to the engine's totals, fails on any failed command.</summary>
internal static class ScriptTest
{
    private const int ListedFailures = 60;
    private const int ListedTextMismatches = 20;

    public static async Task RunAsync(SpecSuiteFixture fixture, ISpecEngine engine, SpecTally tally, ITestOutputHelper output, string file)
    {
        var converter = fixture.Converter ?? throw new InvalidOperationException(fixture.Location.MissingReason);
        SpecScript script;
        ScriptReport report;
        try
        {
            script = SpecScript.Load(file, await converter.ConvertAsync(file));
            report = await ScriptExecution.RunAsync(engine, script, CancellationToken.None);
        }
        catch
        {
            tally.AddBrokenFile();
            throw;
        }
        finally
        {
            converter.Release(file);
        }

        tally.Add(report);
        output.WriteLine($"[{engine.Name}] {report.Summary}");
        foreach (var mismatch in report.Results.Where(r => r.MessageMatched == false).Take(ListedTextMismatches))
        {
            output.WriteLine($"  error text differs: {mismatch.Describe(file)}");
        }

        Assert.Equal(script.Commands.Length, report.Results.Count);
        if (report.Failed > 0)
        {
            Assert.Fail($"[{engine.Name}] {report.DescribeFailures(ListedFailures)}");
        }
    }
}
