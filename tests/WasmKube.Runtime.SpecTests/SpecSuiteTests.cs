using Xunit.Abstractions;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// The WebAssembly 2.0 core spec suite on the project's engine, one test per .wast file (select some with e.g.
/// <c>dotnet test --filter "FullyQualifiedName~SpecSuiteTests&amp;DisplayName~simd_"</c>). A test fails when any
/// command of its file fails and lists them.
/// </summary>
[Collection(SpecSuiteCollection.Name)]
[TestCaseOrderer(ScriptOrderer.TypeName, ScriptOrderer.AssemblyName)]
public sealed class SpecSuiteTests(SpecSuiteFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [SpecScripts]
    public Task Script(string file) => ScriptTest.RunAsync(fixture, fixture.WasmKube, fixture.WasmKubeTally, output, file);
}
