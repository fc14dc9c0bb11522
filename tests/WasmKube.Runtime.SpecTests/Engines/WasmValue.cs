using System.Runtime.Intrinsics;

namespace WasmKube.Runtime.SpecTests.Engines;

public enum WasmType
{
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

/// <summary>
/// A WebAssembly value as the harness passes it to and reads it from any engine: numbers as raw bits (so NaN payloads
/// survive), v128 as bytes, references as the engine's own function object or the host object (null for ref.null).
/// </summary>
public readonly record struct WasmValue(WasmType Type, ulong Bits, Vector128<byte> Vector, object? Reference)
{
    public static WasmValue I32(uint bits) => new(WasmType.I32, bits, default, null);

    public static WasmValue I64(ulong bits) => new(WasmType.I64, bits, default, null);

    public static WasmValue F32(uint bits) => new(WasmType.F32, bits, default, null);

    public static WasmValue F64(ulong bits) => new(WasmType.F64, bits, default, null);

    public static WasmValue V128(Vector128<byte> vector) => new(WasmType.V128, 0, vector, null);

    public static WasmValue FuncRef(object? function) => new(WasmType.FuncRef, 0, default, function);

    public static WasmValue ExternRef(object? host) => new(WasmType.ExternRef, 0, default, host);

    public bool IsNullReference => Type is WasmType.FuncRef or WasmType.ExternRef && Reference is null;
}
