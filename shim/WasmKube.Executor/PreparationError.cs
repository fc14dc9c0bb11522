namespace WasmKube.Executor;

/// <summary>Why the guest cannot run, reported on its stderr once the task starts.</summary>
internal sealed record PreparationError(string Message, int ExitCode);
