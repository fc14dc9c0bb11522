using System.Reflection;
using Xunit.Sdk;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Theory data: one row per .wast file of the spec suite. When the suite is missing there is one row and the
/// theory is skipped with the reason (xunit 2 reads <see cref="DataAttribute.Skip"/> from the attribute instance at
/// discovery, so a computed value skips at run time).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SpecScriptsAttribute : DataAttribute
{
    private static readonly Lazy<SpecSuiteLocation> Location = new(SpecSuiteLocation.Find);

    public override string? Skip
    {
        get => Location.Value.MissingReason;
        set => throw new NotSupportedException("the skip reason of the spec suite is computed");
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        Location.Value.ScriptFiles.Count == 0
            ? [["(spec suite missing)"]]
            : Location.Value.ScriptFiles.Select(file => new object[] { file });
}
