using System.Collections.Concurrent;

namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>Totals of the differential run: what was compared, and the differences by class.</summary>
internal sealed class DifferentialTally
{
    private readonly ConcurrentDictionary<string, int> _documented = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _disagreements = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _mutantOutcomes = new(StringComparer.Ordinal);
    private int _modules;
    private int _invocations;
    private int _mutants;
    private int _mutantCalls;

    public bool Ran => Volatile.Read(ref _modules) + Volatile.Read(ref _mutants) > 0;

    public void AddModule() => Interlocked.Increment(ref _modules);

    public void AddInvocation() => Interlocked.Increment(ref _invocations);

    public void AddMutant() => Interlocked.Increment(ref _mutants);

    /// <summary>How far a mutant got on both engines: rejected, unlinkable, trapped while instantiating, instantiated, or differed.</summary>
    public void AddMutantOutcome(string outcome) => _mutantOutcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);

    public void AddMutantCall() => Interlocked.Increment(ref _mutantCalls);

    public void Add(Verdict verdict)
    {
        switch (verdict.Agreement)
        {
            case Agreement.Documented:
                _documented.AddOrUpdate(verdict.Class, 1, (_, n) => n + 1);
                break;
            case Agreement.Disagreement:
                _disagreements.AddOrUpdate(verdict.Class, 1, (_, n) => n + 1);
                break;
        }
    }

    public string SummaryLine =>
        $"differential: {Volatile.Read(ref _modules)} modules, {Volatile.Read(ref _invocations)} invocations, " +
        $"{Volatile.Read(ref _mutants)} mutants ({Describe(_mutantOutcomes)}; {Volatile.Read(ref _mutantCalls)} calls); " +
        $"documented differences: {Describe(_documented)}; disagreements: {Describe(_disagreements)}";

    private static string Describe(ConcurrentDictionary<string, int> counts) => counts.IsEmpty
        ? "0"
        : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
