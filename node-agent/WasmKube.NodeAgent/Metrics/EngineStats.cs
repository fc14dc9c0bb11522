namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// What a wasm container's executor reports about its engine, in <c>&lt;state-dir&gt;/&lt;namespace&gt;/&lt;id&gt;.engine.json</c>
/// beside the shim's record (shim/README.md): written once the instance runs, then refreshed while it runs.
/// </summary>
/// <param name="CompileSeconds">Time to load the module: compile, or read the compile cache.</param>
/// <param name="CacheHit">Whether the compiled module came from the on-disk cache.</param>
/// <param name="StartSeconds">From the executor's start to the guest's entry point.</param>
/// <param name="LinearMemoryBytes">The guest's linear memory size when last written.</param>
public sealed record EngineStats(double CompileSeconds, bool CacheHit, double StartSeconds, long LinearMemoryBytes);
