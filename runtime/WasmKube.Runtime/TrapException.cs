namespace WasmKube.Runtime;

/// <summary>One frame of a wasm backtrace, innermost first.</summary>
/// <param name="FunctionIndex">Index in the module's function index space.</param>
/// <param name="FunctionName">From the name section or the export name, when known.</param>
/// <param name="ModuleOffset">Byte offset of the instruction in the module binary, when known.</param>
public sealed record TrapFrame(string? ModuleName, uint FunctionIndex, string? FunctionName, int? ModuleOffset)
{
    public override string ToString()
    {
        var name = FunctionName ?? $"func[{FunctionIndex}]";
        var module = ModuleName is null ? "" : ModuleName + "!";
        return ModuleOffset is { } offset ? $"{module}{name} @ 0x{offset:x}" : $"{module}{name}";
    }
}

/// <summary>Execution trapped. The instance that trapped stays usable; its state is whatever the guest had written.</summary>
public sealed class TrapException : WasmException
{
    public TrapException(TrapKind kind, IReadOnlyList<TrapFrame>? frames = null, Exception? inner = null, string? detail = null)
        : base(detail is null ? kind.Message() : $"{kind.Message()}: {detail}", inner)
    {
        Kind = kind;
        Frames = frames ?? [];
    }

    public TrapKind Kind { get; }

    /// <summary>The wasm backtrace, innermost frame first.</summary>
    public IReadOnlyList<TrapFrame> Frames { get; internal set; }

    // Set by compiled code at the trapping instruction: its function index and module offset (-1 when unknown).
    internal int TrapFunction { get; init; } = -1;

    internal int TrapOffset { get; init; } = -1;

    /// <summary>The message followed by the backtrace, one frame a line, as printed to a guest's stderr.</summary>
    public string Describe() =>
        Frames.Count == 0 ? $"wasm trap: {Message}" : $"wasm trap: {Message}\nwasm backtrace:\n" + string.Join("\n", Frames.Select((f, i) => $"  {i}: {f}"));
}
