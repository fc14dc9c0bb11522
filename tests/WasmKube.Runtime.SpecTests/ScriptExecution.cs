using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// Runs a script on a thread of its own and watches it. A command that overruns <see cref="CommandTimeout"/> is
/// interrupted through its session; one that still has not returned <see cref="HangGrace"/> later makes the script be
/// abandoned and the rest reported as failed (its background thread stops once that command returns, if ever), so a
/// runaway engine costs one file, not the run.
/// </summary>
internal static class ScriptExecution
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan HangGrace = TimeSpan.FromSeconds(10);

    // Deep wasm recursion (assert_exhaustion, up to the engine's call-depth limit) needs more than a default stack.
    private const int StackBytes = 256 * 1024 * 1024;

    public static async Task<ScriptReport> RunAsync(ISpecEngine engine, SpecScript script, CancellationToken cancellationToken)
    {
        var watch = new CommandWatch();
        var results = new List<CommandResult>(script.Commands.Length);
        var abandoned = false;
        using var abandon = new CancellationTokenSource();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var thread = new Thread(
            () =>
            {
                try
                {
                    new ScriptRunner(engine, script, watch).Run(result =>
                    {
                        lock (results)
                        {
                            if (!abandoned)
                            {
                                results.Add(result);
                            }
                        }
                    }, abandon.Token);
                    finished.TrySetResult();
                }
                catch (Exception e)
                {
                    finished.TrySetException(e);
                }
            },
            StackBytes)
        {
            IsBackground = true,
            Name = $"spec {script.Name}",
        };
        thread.Start();

        while (!finished.Task.IsCompleted)
        {
            await Task.WhenAny(finished.Task, Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            watch.InterruptIfOverdue(CommandTimeout);
            if (watch.Hung(CommandTimeout + HangGrace) is { } index)
            {
                lock (results)
                {
                    if (results.Count != index)
                    {
                        continue; // it returned just now
                    }

                    abandoned = true;
                    abandon.Cancel();
                    var hung = script.Commands[index];
                    results.Add(new CommandResult(hung, CommandStatus.Failed, $"did not return within {(CommandTimeout + HangGrace).TotalSeconds:0} s, even after Store.Interrupt; the rest of the script was not run"));
                    results.AddRange(script.Commands.Skip(index + 1).Select(command => command.IsTextModule
                        ? new CommandResult(command, CommandStatus.Skipped, ScriptRunner.TextModuleSkip)
                        : new CommandResult(command, CommandStatus.Failed, $"not run: the command at line {hung.Line} hung")));
                    return new ScriptReport(script.Name, [.. results]);
                }
            }
        }

        await finished.Task;
        lock (results)
        {
            return new ScriptReport(script.Name, [.. results]);
        }
    }
}
