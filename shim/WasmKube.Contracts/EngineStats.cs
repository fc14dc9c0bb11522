namespace WasmKube.Contracts;

/// <summary>
/// What a wasm container's executor reports about its engine, beside the shim's record
/// (<see cref="ContainerRecordLayout.EngineStatsPath"/>): written once the instance runs, refreshed every second while
/// it runs, and last when the run ends.
/// </summary>
public sealed record EngineStats
{
    /// <summary>
    /// The format's version: raised with any change to the fields or their meaning (tests/WasmKube.Contracts.Tests
    /// checks). Files from before the field was written read as 0, which has version 1's shape.
    /// </summary>
    public const int CurrentVersion = 1;

    /// <summary>The most a record may take, written as one line: the shim drops anything longer from a contained executor.</summary>
    public const int MaxBytes = 4096;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The engine that runs the guest (<see cref="Engines"/>).</summary>
    public string Engine { get; init; } = "";

    /// <summary>Time to load the module: compile, or read the compile cache.</summary>
    public double CompileSeconds { get; init; }

    /// <summary>From the task's Start to the guest's entry point (the instance exists, <c>_start</c> is next).</summary>
    public double StartSeconds { get; init; }

    /// <summary>The guest's linear memory size when last written.</summary>
    public long LinearMemoryBytes { get; init; }

    /// <summary>
    /// Written last, before the executor exits (<see cref="ExitReasons"/>); absent while the guest runs or when the
    /// executor was killed.
    /// </summary>
    public string? ExitReason { get; init; }

    /// <summary>The executor's exit code, with <see cref="ExitReason"/>.</summary>
    public int? ExitCode { get; init; }
}
