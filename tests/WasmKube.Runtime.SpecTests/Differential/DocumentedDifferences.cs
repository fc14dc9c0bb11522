using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>
/// The allow-list: ways the two engines may legitimately differ, each with its reason. A difference not explained
/// here fails the differential test. After a documented difference the rest of a module's calls are not compared
/// (the engines' states may have diverged), except for NaN payloads, which leave no other trace.
/// </summary>
internal static class DocumentedDifferences
{
    public static readonly Verdict Fuel = new(Agreement.Documented, "fuel",
        "fuel accounting granularity: our engine charges one unit per function entry and loop iteration, Wasmtime " +
        "about one per instruction, so the same fuel lets them run different amounts of code: one may finish (or " +
        "trap) where the other runs out");

    public static readonly Verdict StackDepth = new(Agreement.Documented, "stack depth",
        "call depth limits differ: our engine allows EngineOptions.MaxCallDepth (10,000) wasm frames, Wasmtime a " +
        "native stack of 512 KiB, so deep recursion exhausts the stack at different depths (or runs out of fuel first)");

    public static readonly Verdict ResourceLimit = new(Agreement.Documented, "resource limit",
        "resource limits: both stores are limited to 64 MiB of memory and 10,000,000 table elements for mutants; " +
        "a module whose memory or table is over the limit is refused by our engine with a trap at instantiation, " +
        "by Wasmtime with an instantiation error; either way for its size, not its contents");

    public static readonly Verdict NanPayload = new(Agreement.Documented, "NaN payload",
        "NaN payloads: the spec leaves the payload of a NaN produced by arithmetic open (core spec 4.3.3, " +
        "nondeterministic arithmetic NaN), so two NaNs with different bits are both correct");

    /// <summary>The documented difference that explains two different failures (or a failure against a success), if any.</summary>
    public static Verdict? Explain(Outcome ours, Outcome theirs)
    {
        if (Equivalent(ours, theirs))
        {
            return null;
        }

        if (IsTrap(ours, TrapClass.OutOfFuel) || IsTrap(theirs, TrapClass.OutOfFuel))
        {
            return Fuel;
        }

        if (IsTrap(ours, TrapClass.CallStackExhausted) || IsTrap(theirs, TrapClass.CallStackExhausted))
        {
            return StackDepth;
        }

        if (IsLimit(ours) || IsLimit(theirs))
        {
            return ResourceLimit;
        }

        return null;
    }

    private static bool Equivalent(Outcome ours, Outcome theirs) =>
        ours.Class == theirs.Class && ours.Failure?.Trap == theirs.Failure?.Trap;

    private static bool IsTrap(Outcome outcome, TrapClass trap) => outcome.Failure?.Trap == trap;

    private static bool IsLimit(Outcome outcome) => outcome.Failure is { } failure &&
        (failure.Class is FailureClass.Other or FailureClass.Trap) &&
        failure.Reason.Contains("limit", StringComparison.OrdinalIgnoreCase);
}
