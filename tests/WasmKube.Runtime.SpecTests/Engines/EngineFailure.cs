namespace WasmKube.Runtime.SpecTests.Engines;

/// <summary>The spec's classes of failure, which every engine's errors are sorted into.</summary>
public enum FailureClass
{
    /// <summary>The binary does not decode (assert_malformed).</summary>
    Malformed,

    /// <summary>The module decodes but does not validate (assert_invalid).</summary>
    Invalid,

    /// <summary>Malformed or invalid, from an engine whose errors do not say which.</summary>
    Rejected,

    /// <summary>An import is missing or of the wrong type (assert_unlinkable).</summary>
    Unlinkable,

    /// <summary>Execution trapped, during instantiation (assert_uninstantiable) or a call (assert_trap, assert_exhaustion).</summary>
    Trap,

    /// <summary>The engine refused for a reason outside the spec's classes, e.g. a resource limit of its own.</summary>
    Other,
}

/// <summary>The kinds of trap both engines can tell apart, named after the spec's trap messages.</summary>
public enum TrapClass
{
    None,
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    UninitializedElement,
    IndirectCallTypeMismatch,
    IntegerDivideByZero,
    IntegerOverflow,
    InvalidConversionToInteger,
    CallStackExhausted,
    NullReference,
    OutOfFuel,
    Interrupted,
    Other,
}

/// <summary>An engine error sorted into the spec's classes; anything else an engine throws is a harness or engine fault.</summary>
public sealed class EngineFailure(FailureClass failure, string reason, TrapClass trap = TrapClass.None, Exception? inner = null)
    : Exception($"{failure}{(trap == TrapClass.None ? "" : $" ({trap})")}: {reason}", inner)
{
    public FailureClass Class { get; } = failure;

    public TrapClass Trap { get; } = trap;

    /// <summary>The engine's own wording of the error.</summary>
    public string Reason { get; } = reason;

    /// <summary>The trap class a spec message names (assert_trap texts such as "undefined element 3"), or null for other texts.</summary>
    public static TrapClass? TrapOfSpecText(string? text) => text switch
    {
        null => null,
        _ when text.StartsWith("unreachable", StringComparison.Ordinal) => TrapClass.Unreachable,
        _ when text.StartsWith("out of bounds memory access", StringComparison.Ordinal) => TrapClass.MemoryOutOfBounds,
        _ when text.StartsWith("out of bounds table access", StringComparison.Ordinal) => TrapClass.TableOutOfBounds,
        _ when text.StartsWith("undefined element", StringComparison.Ordinal) => TrapClass.TableOutOfBounds,
        _ when text.StartsWith("uninitialized element", StringComparison.Ordinal) => TrapClass.UninitializedElement,
        _ when text.StartsWith("indirect call type mismatch", StringComparison.Ordinal) => TrapClass.IndirectCallTypeMismatch,
        _ when text.StartsWith("integer divide by zero", StringComparison.Ordinal) => TrapClass.IntegerDivideByZero,
        _ when text.StartsWith("integer overflow", StringComparison.Ordinal) => TrapClass.IntegerOverflow,
        _ when text.StartsWith("invalid conversion to integer", StringComparison.Ordinal) => TrapClass.InvalidConversionToInteger,
        _ when text.StartsWith("call stack exhausted", StringComparison.Ordinal) => TrapClass.CallStackExhausted,
        _ when text.StartsWith("null", StringComparison.Ordinal) => TrapClass.NullReference,
        _ => null,
    };
}
