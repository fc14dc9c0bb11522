namespace WasmKube.Runtime.Tests.Robustness;

/// <summary>A fact that needs the spec suite; skipped, saying where to put it, when the suite is absent.</summary>
public sealed class SpecSuiteFactAttribute : FactAttribute
{
    public SpecSuiteFactAttribute()
    {
        if (SpecScripts.Directory is null)
        {
            Skip = SpecScripts.MissingReason;
        }
    }
}
