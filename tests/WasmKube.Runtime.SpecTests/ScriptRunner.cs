using System.Reflection;
using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Runs the commands of one script in order against one store, the way the spec's reference interpreter does:
/// modules become the "current" instance (and a named one when they carry a name), <c>register</c> makes an
/// instance importable, actions and assertions target the current or a named instance. Every command is isolated:
/// whatever it throws becomes its own result, so one engine fault does not end the script.
/// </summary>
internal sealed class ScriptRunner(ISpecEngine engine, SpecScript script, CommandWatch watch)
{
    public const string TextModuleSkip = "text-format module that wast2json cannot emit as a binary";

    private readonly Dictionary<string, object> _namedInstances = [];
    private readonly Dictionary<string, string> _failedModules = [];
    private readonly SpecValues _values = new();
    private ISpecSession? _session;
    private string? _setupFailure;
    private object? _current;
    private string _noCurrent = "no module has been instantiated yet";

    /// <summary>Runs the commands in order, reporting each; stops early only when <paramref name="abandoned"/> fires.</summary>
    public void Run(Action<CommandResult> report, CancellationToken abandoned)
    {
        SetUp();
        try
        {
            for (var index = 0; index < script.Commands.Length && !abandoned.IsCancellationRequested; index++)
            {
                var command = script.Commands[index];
                watch.Begin(index);
                var result = Execute(command);
                if (watch.End())
                {
                    var outcome = result.Detail is null ? "" : $" ({result.Detail})";
                    result = Failed(command, $"did not finish within {ScriptExecution.CommandTimeout.TotalSeconds:0} s and was interrupted{outcome}");
                }

                report(result);
            }
        }
        finally
        {
            watch.Attach(null);
            _session?.Dispose();
        }
    }

    private void SetUp()
    {
        try
        {
            _session = engine.OpenSession();
            watch.Attach(_session);
        }
        catch (Exception e)
        {
            _setupFailure = $"opening a {engine.Name} session with the spectest module failed: {Describe(e)}";
        }
    }

    private CommandResult Execute(SpecCommand command)
    {
        if (command.IsTextModule)
        {
            return new CommandResult(command, CommandStatus.Skipped, TextModuleSkip);
        }

        if (_setupFailure is not null)
        {
            return Failed(command, _setupFailure);
        }

        try
        {
            return command.Type switch
            {
                "module" => DefineModule(command),
                "register" => Register(command),
                "action" => Act(command),
                "assert_return" => AssertReturn(command),
                "assert_trap" when command.Action is not null => ExpectFailure(command, [FailureClass.Trap], () => Perform(command.Action), TrapMatchesText),
                "assert_trap" or "assert_uninstantiable" => AssertUninstantiable(command),
                "assert_exhaustion" => ExpectFailure(command, [FailureClass.Trap], () => Perform(Required(command.Action)), IsExhaustion),
                "assert_invalid" => ExpectFailure(command, Rejection(FailureClass.Invalid), () => Compile(command)),
                "assert_malformed" => ExpectFailure(command, Rejection(FailureClass.Malformed), () => Compile(command)),
                "assert_unlinkable" => AssertUnlinkable(command),
                _ => Failed(command, $"the harness does not know the command type \"{command.Type}\""),
            };
        }
        catch (Exception e)
        {
            return Failed(command, Describe(e));
        }
    }

    private CommandResult DefineModule(SpecCommand command)
    {
        _current = null;
        _noCurrent = $"the module at line {command.Line} did not instantiate";
        if (command.Name is not null)
        {
            _namedInstances.Remove(command.Name);
            _failedModules[command.Name] = _noCurrent;
        }

        var instance = _session!.Instantiate(Compile(command));
        _current = instance;
        if (command.Name is not null)
        {
            _namedInstances[command.Name] = instance;
            _failedModules.Remove(command.Name);
        }

        return Passed(command);
    }

    private CommandResult Register(SpecCommand command)
    {
        _session!.Register(command.RegisterAs ?? throw new InvalidDataException("register without \"as\""), Resolve(command.Name));
        return Passed(command);
    }

    private CommandResult Act(SpecCommand command)
    {
        Perform(Required(command.Action));
        return Passed(command);
    }

    private CommandResult AssertReturn(SpecCommand command)
    {
        var results = Perform(Required(command.Action));
        if (results.Length != command.Expected.Length)
        {
            return Failed(command, $"expected {command.Expected.Length} results [{string.Join(", ", command.Expected)}], got {results.Length} [{string.Join(", ", results.Select(r => SpecValues.Format(r)))}]");
        }

        var mismatches = command.Expected
            .Select((expected, i) => _values.Mismatch(expected, results[i]) is { } why ? $"result {i}: {why}" : null)
            .OfType<string>()
            .ToList();
        return mismatches.Count == 0 ? Passed(command) : Failed(command, string.Join("; ", mismatches));
    }

    private CommandResult AssertUnlinkable(SpecCommand command)
    {
        var module = Compile(command);
        return ExpectFailure(command, [FailureClass.Unlinkable], () => _session!.Instantiate(module));
    }

    private CommandResult AssertUninstantiable(SpecCommand command)
    {
        var module = Compile(command);
        return ExpectFailure(command, [FailureClass.Trap], () => _session!.Instantiate(module), TrapMatchesText);
    }

    /// <summary>
    /// The classes that pass an assert_invalid / assert_malformed: the exact one, or "rejected" from an engine that
    /// does not tell the two apart.
    /// </summary>
    private FailureClass[] Rejection(FailureClass exact) => engine.SpeaksTheSpecsTerms ? [exact] : [exact, FailureClass.Rejected];

    /// <summary>The trap must be of the kind the spec's message names (when it names one the harness knows).</summary>
    private static string? TrapMatchesText(SpecCommand command, EngineFailure failure) =>
        EngineFailure.TrapOfSpecText(command.Text) is { } expected && expected != failure.Trap ? $"a {failure.Trap} trap, not {expected}" : null;

    private static string? IsExhaustion(SpecCommand command, EngineFailure failure) =>
        failure.Trap == TrapClass.CallStackExhausted ? null : $"a {failure.Trap} trap, not {TrapClass.CallStackExhausted}";

    /// <summary>
    /// Passes when <paramref name="action"/> fails with one of the <paramref name="accepted"/> classes (and
    /// <paramref name="check"/> has no objection). The engine's wording is compared with the spec's separately, for
    /// information, and only for an engine that means to word its errors like the spec.
    /// </summary>
    private CommandResult ExpectFailure(SpecCommand command, FailureClass[] accepted, Action action, Func<SpecCommand, EngineFailure, string?>? check = null)
    {
        var expected = $"{string.Join(" or ", accepted)} \"{command.Text}\"";
        try
        {
            action();
        }
        catch (EngineFailure failure) when (accepted.Contains(failure.Class))
        {
            if (check?.Invoke(command, failure) is { } objection)
            {
                return Failed(command, $"expected {expected}, got {objection}: {Describe(failure)}");
            }

            if (command.Text is null || !engine.SpeaksTheSpecsTerms)
            {
                return Passed(command);
            }

            var matched = failure.Reason.StartsWith(command.Text, StringComparison.Ordinal);
            return new CommandResult(command, CommandStatus.Passed, matched ? null : $"expected text \"{command.Text}\", got \"{failure.Reason}\"", matched);
        }
        catch (Exception other)
        {
            return Failed(command, $"expected {expected}, got {Describe(other)}");
        }

        return Failed(command, $"expected {expected}, but it completed normally");
    }

    private object Compile(SpecCommand command)
    {
        var fileName = command.FileName ?? throw new InvalidDataException($"{command.Type} without a module file");
        var bytes = File.ReadAllBytes(Path.Combine(script.Directory, fileName));
        return _session!.Compile(bytes, command.Name ?? Path.GetFileNameWithoutExtension(fileName));
    }

    private WasmValue[] Perform(SpecAction action)
    {
        var instance = Resolve(action.Module);
        return action.Type switch
        {
            "invoke" => _session!.Invoke(instance, action.Field, [.. action.Arguments.Select(_values.ToValue)]),
            "get" => [_session!.GetGlobal(instance, action.Field)],
            _ => throw new InvalidDataException($"the harness does not know the action type \"{action.Type}\""),
        };
    }

    private object Resolve(string? moduleName)
    {
        if (moduleName is null)
        {
            return _current ?? throw new ScriptStateException($"no current module: {_noCurrent}");
        }

        return _namedInstances.TryGetValue(moduleName, out var instance)
            ? instance
            : throw new ScriptStateException($"no module {moduleName}: {_failedModules.GetValueOrDefault(moduleName, "never defined")}");
    }

    private static SpecAction Required(SpecAction? action) => action ?? throw new InvalidDataException("command without an action");

    /// <summary>An exception for a failure message: its type and message, the inner cause, and where a non-engine error came from.</summary>
    private static string Describe(Exception error)
    {
        var text = $"{error.GetType().Name}: {Shorten(error.Message)}";
        if (error is TargetInvocationException or TypeInitializationException or AggregateException && error.InnerException is { } inner)
        {
            text += $" <- {Describe(inner)}";
        }
        else if (error is not (EngineFailure or ScriptStateException or KeyNotFoundException) && error.StackTrace is { } trace)
        {
            // The innermost engine frame says more than a base-library one (e.g. List.RemoveRange).
            var frames = trace.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var frame = frames.FirstOrDefault(f => f.Contains(" WasmKube.", StringComparison.Ordinal) || f.Contains(" Wasmtime.", StringComparison.Ordinal)) ?? frames.FirstOrDefault();
            text += frame is null ? "" : $" ({Shorten(frame)})";
        }

        return text;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : line[..300] + "...";
    }

    private static CommandResult Passed(SpecCommand command) => new(command, CommandStatus.Passed);

    private static CommandResult Failed(SpecCommand command, string detail) => new(command, CommandStatus.Failed, detail);
}
