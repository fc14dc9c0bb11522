namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// What a wasm container's executor reports about its engine, in <c>&lt;state-dir&gt;/&lt;namespace&gt;/&lt;id&gt;.engine.json</c>
/// beside the shim's record (shim/README.md): written once the instance runs, then refreshed while it runs.
/// </summary>
/// <param name="CompileSeconds">Time to load the module: compile, or read the compile cache.</param>
/// <param name="StartSeconds">From the task's Start to the guest's entry point (the instance exists, <c>_start</c> is next).</param>
/// <param name="LinearMemoryBytes">The guest's linear memory size when last written.</param>
public sealed record EngineStats(double CompileSeconds, double StartSeconds, long LinearMemoryBytes);
