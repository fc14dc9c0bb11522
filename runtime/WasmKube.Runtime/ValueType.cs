namespace WasmKube.Runtime;

/// <summary>WebAssembly value types, with their binary encodings (spec §5.3.1–5.3.3).</summary>
public enum ValueType : byte
{
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FuncRef = 0x70,
    ExternRef = 0x6F,
}
