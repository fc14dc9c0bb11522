using System.Collections.Concurrent;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// Interns function types as small integers for the process, so call_indirect's signature check is one int compare
/// (spec §4.4.7: the callee's type must match exactly) even across modules.
/// </summary>
internal static class TypeRegistry
{
    private static readonly ConcurrentDictionary<FunctionType, int> Ids = new();
    private static int _next;

    public static int IdOf(FunctionType type) => Ids.GetOrAdd(type, static _ => Interlocked.Increment(ref _next));
}
