namespace WasmKube.Runtime;

/// <summary>Why execution trapped. <see cref="TrapKindExtensions.Message"/> gives the spec test suite's wording.</summary>
public enum TrapKind
{
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    UndefinedElement,
    UninitializedElement,
    IndirectCallTypeMismatch,
    IntegerDivideByZero,
    IntegerOverflow,
    InvalidConversionToInteger,
    CallStackExhausted,
    DataSegmentOutOfBounds,
    ElementSegmentOutOfBounds,
    NullReference,
    Interrupted,
    OutOfFuel,
    MemoryLimitExceeded,
    HostError,
}

public static class TrapKindExtensions
{
    public static string Message(this TrapKind kind) => kind switch
    {
        TrapKind.Unreachable => "unreachable",
        TrapKind.MemoryOutOfBounds => "out of bounds memory access",
        TrapKind.TableOutOfBounds => "out of bounds table access",
        TrapKind.UndefinedElement => "undefined element",
        TrapKind.UninitializedElement => "uninitialized element",
        TrapKind.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapKind.IntegerDivideByZero => "integer divide by zero",
        TrapKind.IntegerOverflow => "integer overflow",
        TrapKind.InvalidConversionToInteger => "invalid conversion to integer",
        TrapKind.CallStackExhausted => "call stack exhausted",
        TrapKind.DataSegmentOutOfBounds => "out of bounds memory access",
        TrapKind.ElementSegmentOutOfBounds => "out of bounds table access",
        TrapKind.NullReference => "null reference",
        TrapKind.Interrupted => "interrupted",
        TrapKind.OutOfFuel => "all fuel consumed",
        TrapKind.MemoryLimitExceeded => "memory limit exceeded",
        TrapKind.HostError => "host function failed",
        _ => kind.ToString(),
    };
}
