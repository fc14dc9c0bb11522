namespace WasmKube.Runtime.Tests.Simd;

/// <summary>A theory over spec suite files, skipped with instructions when the suite is not on this machine.</summary>
public sealed class SpecSuiteTheoryAttribute : TheoryAttribute
{
    public SpecSuiteTheoryAttribute()
    {
        if (SpecSuite.Directory is null)
        {
            Skip = $"WebAssembly spec suite not found beside the repository (../shared/wasm-spec-testsuite); set {SpecSuite.DirectoryVariable} to a folder of .wast files";
        }
    }
}
