namespace WasmKube.Bench.Kernels;

/// <summary>A compute kernel of kernels/*.c and the input every runtime gets, sized for roughly 0.1–0.5 s natively.</summary>
internal sealed record Kernel(string Name, string Kind, uint Input)
{
    public static IReadOnlyList<Kernel> All { get; } =
    [
        new("crc32", "integer", 200),
        new("fib", "calls", 39),
        new("sort", "memory", 3_000_000),
        new("nbody", "float", 2_000_000),
        new("matmul", "float", 200),
        new("sieve", "memory", 16_000_000),
        new("interp", "dispatch", 30_000_000),
    ];
}
