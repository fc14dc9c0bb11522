namespace WasmKube.NodeAgent.Containerd;

/// <summary>The text is not TOML this reader understands; names the line and column.</summary>
public sealed class TomlException(string reason, int line, int column)
    : Exception($"line {line}, column {column}: {reason}")
{
    public string Reason { get; } = reason;

    public int Line { get; } = line;

    public int Column { get; } = column;
}
