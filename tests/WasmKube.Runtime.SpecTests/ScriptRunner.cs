using System.Reflection;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Runs the commands of one script in order against one store, the way the spec's reference interpreter does:
/// modules become the "current" instance (and a named one when they carry a name), <c>register</c> makes an
/// instance importable, actions and assertions target the current or a named instance. Every command is isolated:
/// whatever it throws becomes its own result, so one engine fault does not end the script.
/// </summary>
internal sealed class ScriptRunner(Engine engine, SpecScript script, CommandWatch watch)
{
    public const string TextModuleSkip = "text-format module that wast2json cannot emit as a binary";

    private readonly Dictionary<string, Instance> _namedInstances = [];
    private readonly Dictionary<string, string> _failedModules = [];
    private readonly SpecValues _values = new();
    private Store? _store;
    private Linker? _linker;
    private string? _setupFailure;
    private Instance? _current;
    private string _noCurrent = "no module has been instantiated yet";

    /// <summary>Runs the commands in order, reporting each; stops early only when <paramref name="abandoned"/> fires.</summary>
    public void Run(Action<CommandResult> report, CancellationToken abandoned)
    {
        SetUp();
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

    private void SetUp()
    {
        try
        {
            _store = new Store(engine);
            watch.Attach(_store);
            _linker = new Linker();
            SpectestModule.Define(_linker, _store);
        }
        catch (Exception e)
        {
            _setupFailure = $"setting up the store and the spectest module failed: {Describe(e)}";
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
                "assert_trap" when command.Action is not null => ExpectError<TrapException>(command, () => Perform(command.Action)),
                "assert_trap" or "assert_uninstantiable" => AssertUninstantiable(command),
                "assert_exhaustion" => ExpectError<TrapException>(
                    command, () => Perform(Required(command.Action)), trap => trap.Kind == TrapKind.CallStackExhausted ? null : $"trap kind {trap.Kind}, not {TrapKind.CallStackExhausted}"),
                "assert_invalid" => ExpectError<InvalidModuleException>(command, () => Compile(command)),
                "assert_malformed" => ExpectError<MalformedModuleException>(command, () => Compile(command)),
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

        var instance = Instantiate(Compile(command));
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
        _linker!.DefineInstance(command.RegisterAs ?? throw new InvalidDataException("register without \"as\""), Resolve(command.Name));
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
        return ExpectError<LinkException>(command, () => Instantiate(module));
    }

    private CommandResult AssertUninstantiable(SpecCommand command)
    {
        var module = Compile(command);
        return ExpectError<TrapException>(command, () => Instantiate(module));
    }

    /// <summary>
    /// Passes when <paramref name="action"/> throws exactly a <typeparamref name="TError"/> (and <paramref name="check"/>
    /// has no objection); the error text is compared separately.
    /// </summary>
    private static CommandResult ExpectError<TError>(SpecCommand command, Action action, Func<TError, string?>? check = null)
        where TError : WasmException
    {
        var expected = $"{typeof(TError).Name} \"{command.Text}\"";
        try
        {
            action();
        }
        catch (TError error)
        {
            if (check?.Invoke(error) is { } objection)
            {
                return Failed(command, $"expected {expected}, got {objection}: {Describe(error)}");
            }

            var reason = ReasonOf(error);
            var matched = command.Text is null || reason.StartsWith(command.Text, StringComparison.Ordinal);
            return new CommandResult(command, CommandStatus.Passed, matched ? null : $"expected text \"{command.Text}\", got \"{reason}\"", command.Text is null ? null : matched);
        }
        catch (Exception other)
        {
            return Failed(command, $"expected {expected}, got {Describe(other)}");
        }

        return Failed(command, $"expected {expected}, but it completed normally");
    }

    private Module Compile(SpecCommand command)
    {
        var fileName = command.FileName ?? throw new InvalidDataException($"{command.Type} without a module file");
        var bytes = File.ReadAllBytes(Path.Combine(script.Directory, fileName));
        return Module.FromBytes(engine, bytes, command.Name ?? Path.GetFileNameWithoutExtension(fileName));
    }

    private Instance Instantiate(Module module) => _linker!.Instantiate(_store!, module);

    private Value[] Perform(SpecAction action)
    {
        var instance = Resolve(action.Module);
        switch (action.Type)
        {
            case "invoke":
                var function = instance.GetFunction(action.Field)
                    ?? throw new InvalidOperationException($"the instance exports no function \"{action.Field}\"");
                var arguments = action.Arguments.Select(_values.ToValue).ToArray();
                return function.Invoke(arguments);
            case "get":
                var global = instance.GetGlobal(action.Field)
                    ?? throw new InvalidOperationException($"the instance exports no global \"{action.Field}\"");
                return [global.Value];
            default:
                throw new InvalidDataException($"the harness does not know the action type \"{action.Type}\"");
        }
    }

    private Instance Resolve(string? moduleName)
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

    private static string ReasonOf(WasmException error) => error switch
    {
        MalformedModuleException malformed => malformed.Reason,
        InvalidModuleException invalid => invalid.Reason,
        LinkException link => link.Reason,
        _ => error.Message,
    };

    /// <summary>An exception for a failure message: its type and message, the inner cause, and where a non-engine error came from.</summary>
    private static string Describe(Exception error)
    {
        var text = $"{error.GetType().Name}: {Shorten(error.Message)}";
        if (error is TargetInvocationException or TypeInitializationException or AggregateException && error.InnerException is { } inner)
        {
            text += $" <- {Describe(inner)}";
        }
        else if (error is not (WasmException or ScriptStateException) && error.StackTrace is { } trace)
        {
            // The innermost engine frame says more than a base-library one (e.g. List.RemoveRange).
            var frames = trace.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var frame = frames.FirstOrDefault(f => f.Contains(" WasmKube.", StringComparison.Ordinal)) ?? frames.FirstOrDefault();
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
