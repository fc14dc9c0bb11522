using Xunit.Abstractions;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// The WebAssembly 2.0 core spec suite, one test per .wast file (select some with e.g.
/// <c>dotnet test --filter "DisplayName~simd_"</c>). A test fails when any command of its file fails and lists them.
/// </summary>
[Collection(SpecSuiteCollection.Name)]
[TestCaseOrderer(ScriptOrderer.TypeName, ScriptOrderer.AssemblyName)]
public sealed class SpecSuiteTests(SpecSuiteFixture fixture, ITestOutputHelper output)
{
    private const int ListedFailures = 60;
    private const int ListedTextMismatches = 20;

    [Theory]
    [SpecScripts]
    public async Task Script(string file)
    {
        var converter = fixture.Converter ?? throw new InvalidOperationException(fixture.Location.MissingReason);
        SpecScript script;
        ScriptReport report;
        try
        {
            script = SpecScript.Load(file, await converter.ConvertAsync(file));
            report = await ScriptExecution.RunAsync(fixture.Engine, script, CancellationToken.None);
        }
        catch
        {
            fixture.Tally.AddBrokenFile();
            throw;
        }
        finally
        {
            converter.Release(file);
        }

        fixture.Tally.Add(report);
        output.WriteLine(report.Summary);
        foreach (var mismatch in report.Results.Where(r => r.MessageMatched == false).Take(ListedTextMismatches))
        {
            output.WriteLine($"  error text differs: {mismatch.Describe(file)}");
        }

        Assert.Equal(script.Commands.Length, report.Results.Count);
        if (report.Failed > 0)
        {
            Assert.Fail(report.DescribeFailures(ListedFailures));
        }
    }
}
