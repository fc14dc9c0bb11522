using System.Diagnostics;
using WasmKube.Runtime;

namespace WasmKube.Fuzz;

/// <summary>What one engine made of one mutant: its outcome class and what compiling it cost.</summary>
/// <param name="Class">"malformed", "invalid", "compile-limit", "link", "instantiate-trap:Kind", "import-too-large", "ran", or "unexpected:Type".</param>
/// <param name="Calls">Outcome of each export call: "returned" or "trap:Kind" (or "unexpected:Type").</param>
/// <param name="CompileSeconds">Wall-clock time of compiling, which includes waiting for a core on a busy machine.</param>
/// <param name="CompileCpuSeconds">Processor time the process spent while compiling.</param>
/// <param name="CompileBytes">Bytes allocated while compiling.</param>
public sealed record MutantResult(string Class, IReadOnlyList<string> Calls, double CompileSeconds, double CompileCpuSeconds, long CompileBytes, string? Detail)
{
    public bool Unexpected => Class.StartsWith("unexpected", StringComparison.Ordinal) || Calls.Any(c => c.StartsWith("unexpected", StringComparison.Ordinal));
}

/// <summary>Limits every engine runs a mutant under: no mutant may take longer or allocate more to compile.</summary>
public sealed record FuzzLimits(TimeSpan CompileTime, long CompileBytes, long Fuel, TimeSpan CallDeadline);

/// <summary>
/// The seam between the fuzzer and an engine: decode, validate, compile, instantiate with dummy imports and call every
/// export. Another engine plugs in here and sees the same mutants.
/// </summary>
public interface IFuzzTarget
{
    string Name { get; }

    MutantResult Run(byte[] wasm, FuzzLimits limits);
}

/// <summary>WasmKube's own engine.</summary>
public sealed class WasmKubeTarget : IFuzzTarget
{
    public string Name => "wasmkube";

    public MutantResult Run(byte[] wasm, FuzzLimits limits)
    {
        // The engine checks its budget between pieces of work, so it gets three quarters of the limits: room for the
        // piece that crosses the budget and the work after its last check.
        var engine = new Engine(new EngineOptions
        {
            ConsumeFuel = true,
            MaxCompileTime = limits.CompileTime * 0.75,
            MaxCompileMemoryBytes = limits.CompileBytes / 4 * 3,
        });
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        Module module;
        try
        {
            module = Module.FromBytes(engine, wasm);
        }
        catch (Exception e)
        {
            return new MutantResult(Classify(e), [], watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
                GC.GetAllocatedBytesForCurrentThread() - allocated, e.Message);
        }

        var compileSeconds = watch.Elapsed.TotalSeconds;
        var compileCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var compileBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var store = new Store(engine) { Fuel = limits.Fuel, MemoryLimitBytes = 256L << 20 };
        Linker linker;
        try
        {
            linker = DummyImports(store, module);
        }
        catch (Exception e) when (e is ArgumentException or TrapException)
        {
            // The store refuses to create an import that large (e.g. a 4 GiB memory over its limit).
            return new MutantResult("import-too-large", [], compileSeconds, compileCpuSeconds, compileBytes, e.Message);
        }

        Instance instance;
        try
        {
            instance = linker.Instantiate(store, module);
        }
        catch (Exception e)
        {
            var kind = Classify(e);
            return new MutantResult(kind == "trap" ? "instantiate-" + TrapName(e) : kind, [], compileSeconds, compileCpuSeconds, compileBytes, e.Message);
        }

        var calls = new List<string>();
        foreach (var export in module.Exports.Where(e => e.Kind == ExternKind.Function))
        {
            var function = instance.GetFunction(export.Name)!;
            store.Fuel = limits.Fuel;
            store.ResetInterrupt();
            using var deadline = new Timer(_ => store.Interrupt(), null, limits.CallDeadline, Timeout.InfiniteTimeSpan);
            try
            {
                function.Invoke([.. function.Type.Parameters.Select(Value.Default)]);
                calls.Add("returned");
            }
            catch (Exception e)
            {
                calls.Add(Classify(e) == "trap" ? TrapName(e) : Classify(e) + ": " + e.Message);
            }
        }

        // The first call also paid for JIT-compiling the function, so it counts as compile time.
        return new MutantResult("ran", calls, compileSeconds, compileCpuSeconds, compileBytes, null);
    }

    private static string Classify(Exception e) => e switch
    {
        MalformedModuleException => "malformed",
        InvalidModuleException => "invalid",
        CompileLimitException => "compile-limit",
        LinkException => "link",
        TrapException => "trap",
        _ => "unexpected:" + e.GetType().FullName,
    };

    private static string TrapName(Exception e) => "trap:" + ((TrapException)e).Kind;

    /// <summary>Defines every import with something of its declared type: functions return zeros.</summary>
    private static Linker DummyImports(Store store, Module module)
    {
        var linker = new Linker();
        foreach (var import in module.Imports)
        {
            object item = import.Type switch
            {
                FunctionType type => new Func(store, type, (_, _, results) =>
                {
                    for (var i = 0; i < results.Length; i++) results[i] = Value.Default(type.Results[i]);
                }),
                TableType type => new Table(store, type, Value.Default(type.ElementType)),
                MemoryType type => new Memory(store, type),
                GlobalType type => new Global(store, type, Value.Default(type.ValueType)),
                _ => throw new InvalidOperationException($"import {import.Module}.{import.Name} of unknown kind {import.Kind}"),
            };
            linker.Define(import.Module!, import.Name, item);
        }

        return linker;
    }
}
