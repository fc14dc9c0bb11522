using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>What one step (compile, instantiate, call) did on one engine: values, or a failure of a spec class.</summary>
internal sealed record Outcome(WasmValue[]? Values, EngineFailure? Failure, object? Product = null)
{
    public static Outcome Of(Func<WasmValue[]> step)
    {
        try
        {
            return new Outcome(step(), null);
        }
        catch (EngineFailure failure)
        {
            return new Outcome(null, failure);
        }
    }

    public static Outcome Producing(Func<object> step)
    {
        try
        {
            return new Outcome([], null, step());
        }
        catch (EngineFailure failure)
        {
            return new Outcome(null, failure);
        }
    }

    public bool Succeeded => Failure is null;

    /// <summary>Malformed, invalid and "rejected" are one class here: Wasmtime does not tell the first two apart.</summary>
    public FailureClass? Class => Failure?.Class is FailureClass.Malformed or FailureClass.Invalid ? FailureClass.Rejected : Failure?.Class;

    public override string ToString() => Failure is { } failure
        ? failure.Trap == TrapClass.None ? $"{Class} ({Shorten(failure.Reason)})" : $"trap {failure.Trap} ({Shorten(failure.Reason)})"
        : Values is { Length: > 0 } values ? $"[{string.Join(", ", values.Select(v => SpecValues.Format(v)))}]" : "ok";

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 160 ? line : line[..160] + "...";
    }
}
