using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>
/// Replays a script's modules and invocations on two engines side by side and compares every step: each module's
/// instantiation (and the unlinkable/uninstantiable ones), and every action, assert_return, assert_trap and
/// assert_exhaustion, and at the end the exported state (globals, memories, tables) of every instance still
/// reachable. Decoding-only commands (assert_invalid, assert_malformed) change no state and are left to the
/// spec-suite tests.
/// </summary>
internal sealed class ScriptReplay(ISpecEngine ours, ISpecEngine theirs, SpecScript script, DifferentialTally tally)
{
    private readonly SpecValues _values = new();
    private readonly Dictionary<string, (object? Ours, object? Theirs)> _named = [];
    private (object? Ours, object? Theirs) _current;

    /// <summary>The documented differences met, one line each (for the test output).</summary>
    public List<string> Documented { get; } = [];

    /// <summary>Every undocumented disagreement, one line each.</summary>
    public List<string> Run()
    {
        var disagreements = new List<string>();
        using var a = ours.OpenSession();
        using var b = theirs.OpenSession();
        foreach (var command in script.Commands.Where(c => !c.IsTextModule))
        {
            var (verdict, ourOutcome, theirOutcome) = command.Type switch
            {
                "module" => DefineModule(command, a, b),
                "register" => Register(command, a, b),
                "assert_unlinkable" or "assert_uninstantiable" => Instantiate(command, a, b),
                "assert_trap" when command.Action is null => Instantiate(command, a, b),
                "action" or "assert_return" or "assert_trap" or "assert_exhaustion" => Invoke(command, a, b),
                _ => (Verdict.Same, null, null),
            };
            tally.Add(verdict);
            var line = $"{script.Name}:{command.Line}: {command.Describe()}: {verdict.Class}: {ours.Name} {ourOutcome}, {theirs.Name} {theirOutcome}";
            if (verdict.Agreement == Agreement.Disagreement)
            {
                disagreements.Add(line);
            }
            else if (verdict.Agreement == Agreement.Documented)
            {
                Documented.Add($"documented ({verdict.Reason}): {line}");
            }
        }

        foreach (var (name, (ourInstance, theirInstance)) in _named.Append(new("(latest)", _current)))
        {
            if (ourInstance is null || theirInstance is null)
            {
                continue;
            }

            var ourState = a.StateOf(ourInstance);
            var theirState = b.StateOf(theirInstance);
            var verdict = Comparison.Compare(new Outcome([.. ourState.Globals.Select(g => g.Value)], null), new Outcome([.. theirState.Globals.Select(g => g.Value)], null));
            if (verdict.Agreement == Agreement.Disagreement || !ourState.Others.SequenceEqual(theirState.Others))
            {
                tally.Add(new Verdict(Agreement.Disagreement, "exported state"));
                disagreements.Add($"{script.Name}: exported state of {name} at the end: {ours.Name} {Describe(ourState)}; {theirs.Name} {Describe(theirState)}");
            }
        }

        return disagreements;
    }

    private static string Describe(ExportedState state) =>
        string.Join(", ", state.Globals.Select(g => $"{g.Name} = {SpecValues.Format(g.Value)}").Concat(state.Others.Select(o => $"{o.Name} {o.Digest}")));

    private (Verdict, Outcome?, Outcome?) DefineModule(SpecCommand command, ISpecSession a, ISpecSession b)
    {
        var bytes = File.ReadAllBytes(Path.Combine(script.Directory, command.FileName!));
        var name = command.Name ?? Path.GetFileNameWithoutExtension(command.FileName!);
        var ourOutcome = Outcome.Producing(() => a.Instantiate(a.Compile(bytes, name)));
        var theirOutcome = Outcome.Producing(() => b.Instantiate(b.Compile(bytes, name)));
        _current = (ourOutcome.Product, theirOutcome.Product);
        if (command.Name is not null)
        {
            _named[command.Name] = _current;
        }

        tally.AddModule();
        return (Comparison.Compare(ourOutcome, theirOutcome), ourOutcome, theirOutcome);
    }

    private (Verdict, Outcome?, Outcome?) Register(SpecCommand command, ISpecSession a, ISpecSession b)
    {
        var (ourInstance, theirInstance) = Resolve(command.Name);
        if (ourInstance is not null && theirInstance is not null)
        {
            a.Register(command.RegisterAs!, ourInstance);
            b.Register(command.RegisterAs!, theirInstance);
        }

        return (Verdict.Same, null, null);
    }

    private (Verdict, Outcome?, Outcome?) Instantiate(SpecCommand command, ISpecSession a, ISpecSession b)
    {
        var bytes = File.ReadAllBytes(Path.Combine(script.Directory, command.FileName!));
        var ourOutcome = Outcome.Producing(() => a.Instantiate(a.Compile(bytes, "failing")));
        var theirOutcome = Outcome.Producing(() => b.Instantiate(b.Compile(bytes, "failing")));
        return (Comparison.Compare(ourOutcome, theirOutcome), ourOutcome, theirOutcome);
    }

    private (Verdict, Outcome?, Outcome?) Invoke(SpecCommand command, ISpecSession a, ISpecSession b)
    {
        var action = command.Action!;
        var (ourInstance, theirInstance) = Resolve(action.Module);
        if (ourInstance is null || theirInstance is null)
        {
            // The module's instantiation already differed (and was counted); there is nothing to call on one side.
            return (Verdict.Same, null, null);
        }

        var ourOutcome = Outcome.Of(() => Perform(a, ourInstance, action));
        var theirOutcome = Outcome.Of(() => Perform(b, theirInstance, action));
        tally.AddInvocation();
        return (Comparison.Compare(ourOutcome, theirOutcome, command.Type == "assert_return" ? command.Expected : null), ourOutcome, theirOutcome);
    }

    private WasmValue[] Perform(ISpecSession session, object instance, SpecAction action) => action.Type == "get"
        ? [session.GetGlobal(instance, action.Field)]
        : session.Invoke(instance, action.Field, [.. action.Arguments.Select(_values.ToValue)]);

    private (object? Ours, object? Theirs) Resolve(string? name) =>
        name is null ? _current : _named.GetValueOrDefault(name);
}
