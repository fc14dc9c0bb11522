namespace WasmKube.NodeAgent.Containerd;

/// <summary>A value read from a TOML document; only the kinds containerd configs use are told apart.</summary>
public abstract record TomlValue
{
    private protected TomlValue()
    {
    }
}

public sealed record TomlString(string Value) : TomlValue;

public sealed record TomlInteger(long Value) : TomlValue;

public sealed record TomlBoolean(bool Value) : TomlValue;

public sealed record TomlArray(IReadOnlyList<TomlValue> Items) : TomlValue;

public sealed record TomlInlineTable(IReadOnlyDictionary<string, TomlValue> Entries) : TomlValue;

/// <summary>A float, date or time, kept as written: nothing here needs its value.</summary>
public sealed record TomlOtherScalar(string Text) : TomlValue;
