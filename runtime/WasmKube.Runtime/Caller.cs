namespace WasmKube.Runtime;

/// <summary>What a host function knows of the wasm code that called it.</summary>
public readonly struct Caller
{
    internal Caller(Store store, Instance? instance)
    {
        Store = store;
        Instance = instance;
    }

    public Store Store { get; }

    /// <summary>The calling instance, or null when the host function was invoked from the embedder.</summary>
    public Instance? Instance { get; }

    /// <summary>The caller's exported memory of that name (WASI uses "memory"), or null.</summary>
    public Memory? GetMemory(string name = "memory") => Instance?.GetMemory(name);
}
