using Xunit.Abstractions;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// The same scripts on Wasmtime, configured to the 2.0 feature set. Rejections are compared by class only
/// (Wasmtime does not tell malformed from invalid, and words its errors its own way); traps by kind.
/// </summary>
[Collection(SpecSuiteCollection.Name)]
[TestCaseOrderer(ScriptOrderer.TypeName, ScriptOrderer.AssemblyName)]
public sealed class WasmtimeSpecSuiteTests(SpecSuiteFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [SpecScripts]
    public Task Script(string file) => ScriptTest.RunAsync(fixture, fixture.Wasmtime, fixture.WasmtimeTally, output, file);
}
