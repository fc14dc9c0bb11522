using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>
/// Runs one module on two engines under fuel: decode and validate, instantiate against the spectest module, then
/// call every exported function with zero arguments (0, +0.0, an all-zero v128, null references), in name order,
/// and compare each step; finally compare the exported globals, memories and tables. Stops at the first
/// step that differs; a documented difference also ends the comparison, since the states may have diverged.
/// </summary>
internal static class MutantRun
{
    public const long Fuel = 200_000;

    /// <summary>The first differing step ("compile", "instantiate", "call NAME") and its verdict, or null when they agree.</summary>
    public static (string Step, Verdict Verdict, Outcome Ours, Outcome Theirs)? Compare(ISpecEngine ours, ISpecEngine theirs, byte[] module, DifferentialTally tally)
    {
        using var a = ours.OpenSession();
        using var b = theirs.OpenSession();

        var step = "compile";
        var ourOutcome = Outcome.Producing(() => a.Compile(module, "mutant"));
        var theirOutcome = Outcome.Producing(() => b.Compile(module, "mutant"));
        var verdict = Comparison.Compare(ourOutcome, theirOutcome);
        if (verdict.Agreement != Agreement.Same || !ourOutcome.Succeeded)
        {
            tally.AddMutantOutcome(verdict.Agreement == Agreement.Same ? "rejected" : "differed");
            return Result();
        }

        step = "instantiate";
        a.SetFuel(Fuel);
        b.SetFuel(Fuel);
        var ourModule = ourOutcome.Product!;
        var theirModule = theirOutcome.Product!;
        ourOutcome = Outcome.Producing(() => a.Instantiate(ourModule));
        theirOutcome = Outcome.Producing(() => b.Instantiate(theirModule));
        verdict = Comparison.Compare(ourOutcome, theirOutcome);
        if (verdict.Agreement != Agreement.Same || !ourOutcome.Succeeded)
        {
            tally.AddMutantOutcome(verdict.Agreement != Agreement.Same ? "differed" : ourOutcome.Class == FailureClass.Trap ? "trapped while instantiating" : $"{ourOutcome.Class}".ToLowerInvariant());
            return Result();
        }

        tally.AddMutantOutcome("instantiated");
        var ourInstance = ourOutcome.Product!;
        var theirInstance = theirOutcome.Product!;
        var ourExports = Callable(a, ourInstance);
        var theirExports = Callable(b, theirInstance);
        if (!ourExports.SequenceEqual(theirExports, StringComparer.Ordinal))
        {
            return ($"list exports: [{string.Join(", ", ourExports)}] vs [{string.Join(", ", theirExports)}]",
                new Verdict(Agreement.Disagreement, "exports"), new Outcome([], null), new Outcome([], null));
        }

        var parameters = a.ExportedFunctions(ourInstance).ToDictionary(f => f.Name, f => f.Parameters, StringComparer.Ordinal);
        foreach (var name in ourExports)
        {
            WasmValue[] arguments = [.. parameters[name].Select(type => new WasmValue(type, 0, default, null))];
            step = $"call {name}";
            a.SetFuel(Fuel);
            b.SetFuel(Fuel);
            ourOutcome = Outcome.Of(() => a.Invoke(ourInstance, name, arguments));
            theirOutcome = Outcome.Of(() => b.Invoke(theirInstance, name, arguments));
            tally.AddMutantCall();
            verdict = Comparison.Compare(ourOutcome, theirOutcome);
            if (verdict == DocumentedDifferences.NanPayload)
            {
                tally.Add(verdict);
                continue;
            }

            if (verdict.Agreement != Agreement.Same)
            {
                return Result();
            }
        }

        step = "exported state";
        var ourState = a.StateOf(ourInstance);
        var theirState = b.StateOf(theirInstance);
        ourOutcome = new Outcome([.. ourState.Globals.Select(g => g.Value)], null);
        theirOutcome = new Outcome([.. theirState.Globals.Select(g => g.Value)], null);
        verdict = Comparison.Compare(ourOutcome, theirOutcome);
        if (!ourState.Globals.Select(g => g.Name).SequenceEqual(theirState.Globals.Select(g => g.Name)) || !ourState.Others.SequenceEqual(theirState.Others))
        {
            return ($"{step}: [{string.Join(", ", ourState.Others.Select(o => $"{o.Name} {o.Digest}"))}] vs [{string.Join(", ", theirState.Others.Select(o => $"{o.Name} {o.Digest}"))}]",
                new Verdict(Agreement.Disagreement, "exported state"), ourOutcome, theirOutcome);
        }

        if (verdict == DocumentedDifferences.NanPayload)
        {
            tally.Add(verdict);
            return null;
        }

        return Result();

        (string, Verdict, Outcome, Outcome)? Result() =>
            verdict.Agreement == Agreement.Same ? null : (step, verdict, ourOutcome, theirOutcome);
    }

    private static List<string> Callable(ISpecSession session, object instance) =>
        [.. session.ExportedFunctions(instance).Select(f => f.Name).Order(StringComparer.Ordinal)];
}
