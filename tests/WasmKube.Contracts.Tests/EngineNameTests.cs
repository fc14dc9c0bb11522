using WasmKube.Guest.Cil;
using WasmKube.Guest.Wasmtime;

namespace WasmKube.Contracts.Tests;

public sealed class EngineNameTests
{
    /// <summary>
    /// A pod names its engine with the contract's name, and the executor reports the engine's own name in its
    /// statistics: both must be one name, or metrics would label a workload with another engine than it asked for.
    /// </summary>
    [Fact]
    public void The_contracts_engine_names_are_the_engines_own()
    {
        Assert.Equal(WasmtimeGuestEngine.EngineName, Engines.Wasmtime);
        Assert.Equal(CilGuestEngine.EngineName, Engines.WasmKube);
        Assert.Equal(new HashSet<string> { Engines.Wasmtime, Engines.WasmKube }, Engines.ExecutorPrograms.Keys.ToHashSet());
    }
}
