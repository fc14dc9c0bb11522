using System.Diagnostics;
using WasmKube.Runtime;

namespace WasmKube.Bench.Kernels;

/// <summary>A kernel loaded into an engine in this process, through the engine's public API only.</summary>
internal abstract class EngineRunner
{
    /// <summary>The engines compared, by the names users select them with.</summary>
    public static IReadOnlyList<string> Engines { get; } = ["wasmtime", "wasmkube"];

    /// <summary>Compiling and instantiating, kept out of the calls' times.</summary>
    public double SetupSeconds { get; protected init; }

    public static EngineRunner Load(string engine, string wasmPath) => engine switch
    {
        "wasmtime" => new WasmtimeRunner(wasmPath),
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

    /// <summary>Wasmtime, configured as the guest host configures it (epoch interruption on, optimised for speed).</summary>
    private sealed class WasmtimeRunner : EngineRunner
    {
        private readonly Func<int, int> _run;

        public WasmtimeRunner(string wasmPath)
        {
            var clock = Stopwatch.StartNew();
            var engine = new Wasmtime.Engine(new Wasmtime.Config().WithEpochInterruption(true).WithOptimizationLevel(Wasmtime.OptimizationLevel.Speed));
            var module = Wasmtime.Module.FromFile(engine, wasmPath);
            var store = new Wasmtime.Store(engine);
            store.SetEpochDeadline(ulong.MaxValue);
            var instance = new Wasmtime.Linker(engine).Instantiate(store, module);
            _run = instance.GetFunction<int, int>("run") ?? throw new InvalidOperationException($"{wasmPath} exports no function \"run\"");
            SetupSeconds = clock.Elapsed.TotalSeconds;
        }

        protected override uint Run(uint input) => (uint)_run((int)input);
    }
}
