using WasmKube.Kube.Models;

namespace WasmKube.Operator.Entities;

/// <summary>The engine and its limits for each instance, handed to the shim through pod-template annotations.</summary>
public sealed class WasmEngineSpec
{
    /// <summary>The engine that runs each instance: wasmtime (the default) or wasmkube.</summary>
    public string? Engine { get; set; }

    /// <summary>Cap on linear memory (a quantity, e.g. 64Mi); the container's memory limit caps it as well.</summary>
    public ResourceQuantity? MaxMemory { get; set; }

    /// <summary>Instructions' worth of fuel before the instance traps; absent means unmetered.</summary>
    public long? Fuel { get; set; }

    /// <summary>Wall-clock limit of one run (a Go duration such as 30s or 5m); absent means none.</summary>
    public string? Timeout { get; set; }
}
