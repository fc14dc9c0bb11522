namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// What a wasm container's executor reports about its engine, in <c>&lt;state-dir&gt;/&lt;namespace&gt;/&lt;id&gt;.engine.json</c>
/// beside the shim's record (shim/README.md): written once the instance runs, then refreshed while it runs.
/// </summary>
/// <param name="CompileSeconds">Time to load the module: compile, or read the compile cache.</param>
/// <param name="StartSeconds">From the task's Start to the guest's entry point (the instance exists, <c>_start</c> is next).</param>
/// <param name="LinearMemoryBytes">The guest's linear memory size when last written.</param>
/// <param name="ExitReason">
/// Written last, before the executor exits: <c>exited</c>, <c>trap</c>, <c>out-of-fuel</c>, <c>timeout</c>,
/// <c>signal</c> or <c>refused</c>; absent while the guest runs or when the executor was killed.
/// </param>
/// <param name="ExitCode">The executor's exit code, with <paramref name="ExitReason"/>.</param>
public sealed record EngineStats(double CompileSeconds, double StartSeconds, long LinearMemoryBytes, string? ExitReason = null, int? ExitCode = null);
