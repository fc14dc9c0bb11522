using System.Diagnostics;

namespace WasmKube.Runtime.Compilation;

/// <summary>
/// Holds one module's compilation to <see cref="EngineOptions.MaxCompileTime"/> and
/// <see cref="EngineOptions.MaxCompileMemoryBytes"/>. The code generator reports its progress here; the JIT's share is
/// estimated from what each function hands it, because the JIT runs later, at a function's first call, where a
/// module could no longer be refused.
/// </summary>
internal sealed class CompileBudget(EngineOptions options)
{
    // RyuJIT's cost for one method grows with its basic blocks and with the IL stack it must spill into temporaries
    // at each block boundary: memory linearly with the spilled values, time with their square. Measured on .NET 10
    // with generated wasm functions (deeply nested loops, long runs of trapping loads and divisions, deep operand
    // stacks across branches) and rounded up.
    public const long JitBytesPerBranchTarget = 3 * 1024;
    public const long JitBytesPerSpilledValue = 1024;
    public const long JitBytesPerILByte = 96;
    public const double JitSecondsPerBranchTarget = 25e-6;
    public const double JitSecondsPerSpilledValueSquared = 5e-9;

    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly long _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();

    /// <summary>Refuses the module once it has taken longer, or allocated more, than it may.</summary>
    public void Check(uint? function = null, int? offset = null)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        if (elapsed > options.MaxCompileTime)
        {
            throw new CompileLimitException("compile time budget",
                $"compiling took more than {options.MaxCompileTime.TotalSeconds:0.###} s (EngineOptions.MaxCompileTime)", function, offset);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;
        if (allocated > options.MaxCompileMemoryBytes)
        {
            throw new CompileLimitException("compile memory budget",
                $"compiling allocated {allocated:N0} bytes, more than {options.MaxCompileMemoryBytes:N0} (EngineOptions.MaxCompileMemoryBytes)", function, offset);
        }
    }

    /// <summary>Refuses a function whose estimated JIT time or working memory is over the budget.</summary>
    public void CheckJitEstimate(uint function, long estimatedBytes, double estimatedSeconds)
    {
        if (estimatedSeconds > options.MaxCompileTime.TotalSeconds)
        {
            throw new CompileLimitException("compile time budget",
                $"the JIT would need about {estimatedSeconds:0.#} s for this function, more than {options.MaxCompileTime.TotalSeconds:0.###} s (EngineOptions.MaxCompileTime)", function);
        }

        if (estimatedBytes > options.MaxCompileMemoryBytes)
        {
            throw new CompileLimitException("compile memory budget",
                $"the JIT would need about {estimatedBytes:N0} bytes for this function, more than {options.MaxCompileMemoryBytes:N0} (EngineOptions.MaxCompileMemoryBytes)", function);
        }
    }
}
