using System.Text.Json.Nodes;
using WasmKube.Contracts;
using WasmKube.Guest;
using WasmKube.Shim.Tests.Infrastructure;

namespace WasmKube.Shim.Tests;

/// <summary>
/// The executors on their own, given the configuration the shim writes: each limit ends the run with its exit code,
/// one line on stderr naming it, and its reason in the engine statistics.
/// </summary>
public sealed class ExecutorLimitsTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "wkx-" + Guid.NewGuid().ToString("N")[..10]);

    public static TheoryData<string> Engines => new() { Contracts.Engines.Wasmtime, Contracts.Engines.WasmKube };

    public async Task InitializeAsync() => await TestGuests.BuildAsync(_root);

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Running_out_of_fuel_traps_and_says_so(string engine)
    {
        var (result, stats) = await RunAsync(engine, "spin", new ExecutorConfig { ModulePath = "", Fuel = 100_000 });

        Assert.Equal(GuestExitCodes.Trapped, result.ExitCode);
        Assert.Equal("wasmkube: the guest ran out of its fuel of 100000 units (wasmkube.io/fuel)", LastLine(result.Stderr));
        Assert.Equal("out-of-fuel", stats["exitReason"]!.GetValue<string>());
        Assert.Equal(GuestExitCodes.Trapped, stats["exitCode"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Enough_fuel_leaves_the_guests_own_exit(string engine)
    {
        var (result, stats) = await RunAsync(engine, "exit", new ExecutorConfig { ModulePath = "", Fuel = 1_000_000 });

        Assert.Equal(42, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.Equal("exited", stats["exitReason"]!.GetValue<string>());
        Assert.Equal(42, stats["exitCode"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_timeout_stops_the_guest_and_says_so(string engine)
    {
        var (result, stats) = await RunAsync(engine, "spin", new ExecutorConfig { ModulePath = "", Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(GuestExitCodes.TimedOut, result.ExitCode);
        Assert.Equal("wasmkube: the guest was stopped after its timeout of 300ms (wasmkube.io/timeout)", LastLine(result.Stderr));
        Assert.Equal("timeout", stats["exitReason"]!.GetValue<string>());
        Assert.Equal(GuestExitCodes.TimedOut, stats["exitCode"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Max_memory_caps_linear_memory(string engine)
    {
        var (result, stats) = await RunAsync(engine, "grow", new ExecutorConfig { ModulePath = "", MaxMemoryBytes = 16L << 20 });

        // The guest exits with the memory it reached in 4 MiB units: memory.grow failed at exactly the cap.
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("exited", stats["exitReason"]!.GetValue<string>());
        Assert.Equal(16L << 20, stats["linearMemoryBytes"]!.GetValue<long>());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_smaller_of_max_memory_and_the_containers_limit_applies(string engine)
    {
        // The container's limit leaves 40 MiB minus 16 MiB of headroom for the executor: 24 MiB, below max-memory.
        var (fromLimit, _) = await RunAsync(engine, "grow", new ExecutorConfig { ModulePath = "", MaxMemoryBytes = 64L << 20, MemoryLimitBytes = 40L << 20 });
        var (fromMaxMemory, _) = await RunAsync(engine, "grow", new ExecutorConfig { ModulePath = "", MaxMemoryBytes = 8L << 20, MemoryLimitBytes = 1L << 30 });

        Assert.Equal(6, fromLimit.ExitCode);
        Assert.Equal(2, fromMaxMemory.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_trap_after_a_refused_grow_names_the_cap(string engine)
    {
        var (result, stats) = await RunAsync(engine, "oom", new ExecutorConfig { ModulePath = "", MaxMemoryBytes = 16L << 20 });

        Assert.Equal(GuestExitCodes.Trapped, result.ExitCode);
        Assert.Contains("wasm trap: unreachable", result.Stderr);
        Assert.StartsWith("wasmkube: linear memory was 15.06 MiB of its cap of 16 MiB (wasmkube.io/max-memory)", LastLine(result.Stderr));
        Assert.Equal("trap", stats["exitReason"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_module_whose_initial_memory_exceeds_the_cap_cannot_start_and_says_why(string engine)
    {
        // grow declares one page (64 KiB) of initial memory.
        var (result, _) = await RunAsync(engine, "grow", new ExecutorConfig { ModulePath = "", MaxMemoryBytes = 32L << 10 });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("wasmkube: the module's initial linear memory is more than its cap of 0.03 MiB (wasmkube.io/max-memory), so the guest cannot start; raise the cap",
            LastLine(result.Stderr));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_refused_module_is_reported_as_refused(string engine)
    {
        var (result, stats) = await RunAsync(engine, "missing", new ExecutorConfig { ModulePath = "" });

        Assert.Equal(GuestExitCodes.NotFound, result.ExitCode);
        Assert.Equal("refused", stats["exitReason"]!.GetValue<string>());
        Assert.Equal(GuestExitCodes.NotFound, stats["exitCode"]!.GetValue<int>());
    }

    private async Task<(CommandResult Result, JsonNode Stats)> RunAsync(string engine, string guest, ExecutorConfig limits)
    {
        var name = $"{guest}-{engine}-{Guid.NewGuid().ToString("N")[..6]}";
        var statsFile = Path.Combine(_root, name + ".engine.json");
        var configFile = Path.Combine(_root, name + ".config.json");
        (limits with
        {
            ModulePath = Path.Combine(_root, guest + ".wasm"),
            Entrypoint = $"/{guest}.wasm",
            Args = [$"/{guest}.wasm"],
            EngineStatsFile = statsFile,
        }).Save(configFile);
        var program = engine == Contracts.Engines.Wasmtime
            ? ContainerdInstance.BuildOutput("WasmKube.Executor", "wasmkube-executor")
            : ContainerdInstance.BuildOutput("WasmKube.Executor.Cil", "wasmkube-executor-cil");

        var result = await Commands.RunAsync(program, ["--config", configFile]);

        Assert.True(File.Exists(statsFile), $"no engine statistics were written; {result}");
        return (result, JsonNode.Parse(await File.ReadAllTextAsync(statsFile))!);
    }

    private static string LastLine(string text) => text.TrimEnd('\n').Split('\n')[^1];
}
