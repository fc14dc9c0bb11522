using System.Runtime.CompilerServices;

namespace WasmKube.Runtime.Execution;

/// <summary>Creates the exceptions compiled code throws; kept out of line so the hot paths stay small.</summary>
internal static class Traps
{
    /// <summary>A trap of <paramref name="kind"/> in function <paramref name="function"/> at module offset <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException Create(int kind, int function, int offset) =>
        new((TrapKind)kind) { TrapFunction = function, TrapOffset = offset };

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException Create(TrapKind kind) => new(kind);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(TrapKind kind) => throw new TrapException(kind);

    public static TrapException HostError(Exception inner) =>
        new(TrapKind.HostError, inner: inner, detail: $"{inner.GetType().Name}: {inner.Message}");
}
