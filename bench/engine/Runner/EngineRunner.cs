using System.Diagnostics;
using WasmKube.Runtime;

namespace WasmKube.Bench.Kernels;

/// <summary>A kernel loaded into WasmKube's engine in this process, through its public API only.</summary>
internal sealed class EngineRunner
{
    private readonly Func _run;

    private EngineRunner(Func run, double setupSeconds)
    {
        _run = run;
        SetupSeconds = setupSeconds;
    }

    /// <summary>Compiling and instantiating, kept out of the calls' times.</summary>
    public double SetupSeconds { get; }

    public static EngineRunner Load(string wasmPath)
    {
        var clock = Stopwatch.StartNew();
        var engine = new Engine();
        var module = Module.FromFile(engine, wasmPath);
        var instance = new Linker().Instantiate(new Store(engine), module);
        var run = instance.GetFunction("run") ?? throw new InvalidOperationException($"{wasmPath} exports no function \"run\"");
        return new EngineRunner(run, clock.Elapsed.TotalSeconds);
    }

    public Measurement Call(uint input)
    {
        var clock = Stopwatch.StartNew();
        var checksum = (uint)_run.Invoke(Value.I32((int)input))[0].AsI32();
        return new Measurement(checksum, [clock.Elapsed.TotalSeconds]);
    }
}
