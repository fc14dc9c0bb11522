using Xunit.Abstractions;
using Xunit.Sdk;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Runs the script tests in file-name order (xunit's default order is by test id hash), which makes the output easy
/// to scan and lets <see cref="WastConverter"/> convert the next scripts while one runs.
/// </summary>
public sealed class ScriptOrderer : ITestCaseOrderer
{
    public const string TypeName = "WasmKube.Runtime.SpecTests.ScriptOrderer";
    public const string AssemblyName = "WasmKube.Runtime.SpecTests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(testCase => testCase.TestMethodArguments?.FirstOrDefault() as string, StringComparer.Ordinal);
}
