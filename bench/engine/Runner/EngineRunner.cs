using System.Diagnostics;
using WasmKube.Runtime;

namespace WasmKube.Bench.Kernels;

/// <summary>A kernel loaded into an engine in this process, through the engine's public API only.</summary>
internal abstract class EngineRunner
{
    /// <summary>
    /// The engines compared, by the names users select them with, and Wasmtime with the epoch checks an in-process
    /// host needs to interrupt a guest (the executor and <c>wasmkube run</c> compile without them).
    /// </summary>
    public static IReadOnlyList<string> Engines { get; } = ["wasmtime", "wasmtime+epoch", "wasmkube"];

    /// <summary>Compiling and instantiating, kept out of the calls' times.</summary>
    public double SetupSeconds { get; protected init; }

    public static EngineRunner Load(string engine, string wasmPath) => engine switch
    {
        "wasmtime" => new WasmtimeRunner(wasmPath, epochChecks: false),
        "wasmtime+epoch" => new WasmtimeRunner(wasmPath, epochChecks: true),
        _ => new CilRunner(wasmPath),
    };

    public Measurement Call(uint input)
    {
        var clock = Stopwatch.StartNew();
        var checksum = Run(input);
        return new Measurement(checksum, [clock.Elapsed.TotalSeconds]);
    }

    protected abstract uint Run(uint input);

    /// <summary>WasmKube's own wasm-to-CIL engine.</summary>
    private sealed class CilRunner : EngineRunner
    {
        private readonly Func _run;

        public CilRunner(string wasmPath)
        {
            var clock = Stopwatch.StartNew();
            var engine = new Engine();
            var module = Module.FromFile(engine, wasmPath);
            var instance = new Linker().Instantiate(new Store(engine), module);
            _run = instance.GetFunction("run") ?? throw new InvalidOperationException($"{wasmPath} exports no function \"run\"");
            SetupSeconds = clock.Elapsed.TotalSeconds;
        }

        protected override uint Run(uint input) => (uint)_run.Invoke(Value.I32((int)input))[0].AsI32();
    }

    /// <summary>Wasmtime, configured as the guest host configures it (optimised for speed; epoch checks as asked).</summary>
    private sealed class WasmtimeRunner : EngineRunner
    {
        private readonly Func<int, int> _run;

        public WasmtimeRunner(string wasmPath, bool epochChecks)
        {
            var clock = Stopwatch.StartNew();
            var engine = new Wasmtime.Engine(new Wasmtime.Config().WithEpochInterruption(epochChecks).WithOptimizationLevel(Wasmtime.OptimizationLevel.Speed));
            var module = Wasmtime.Module.FromFile(engine, wasmPath);
            var store = new Wasmtime.Store(engine);
            if (epochChecks) store.SetEpochDeadline(ulong.MaxValue);
            var instance = new Wasmtime.Linker(engine).Instantiate(store, module);
            _run = instance.GetFunction<int, int>("run") ?? throw new InvalidOperationException($"{wasmPath} exports no function \"run\"");
            SetupSeconds = clock.Elapsed.TotalSeconds;
        }

        protected override uint Run(uint input) => (uint)_run((int)input);
    }
}
