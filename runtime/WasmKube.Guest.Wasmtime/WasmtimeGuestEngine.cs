using System.Security.Cryptography;
using System.Text;
using WasmKube.Wasi;
using Wasmtime;

namespace WasmKube.Guest.Wasmtime;

/// <summary>
/// The <c>wasmtime</c> engine: Wasmtime compiles modules to native code with Cranelift; our WASI is bound to its
/// linker so the sandbox is the one of <c>WasmKube.Wasi</c>. Interruption is epoch-based (one epoch tick traps every
/// store of this engine: one engine per guest) and optional; fuel is metered only when asked at creation. Both change
/// the code, and so the cache key.
/// </summary>
public sealed class WasmtimeGuestEngine : IGuestEngine
{
    public const string EngineName = "wasmtime";

    /// <summary>
    /// Wasmtime's stack for wasm frames (deeper recursion traps with "call stack exhausted"); Wasmtime refuses more
    /// than its async stack size, 2 MiB, which the .NET API cannot change.
    /// </summary>
    private const int WasmStackBytes = 1 << 20;

    private const string NativeCode = "Cranelift native code";

    private readonly Engine _engine;
    private readonly ModuleCache? _cache;
    private readonly bool _meterFuel;
    private readonly bool _interruptible;

    /// <param name="interruptible">
    /// Compile epoch checks at every loop head and call, so <see cref="GuestInstance.Interrupt"/> stops a busy guest.
    /// They cost up to half the speed of tight loops (bench/engine), so a host whose process ends with its guest (the
    /// executor, <c>wasmkube run</c>) turns them off and ends the process instead (<see cref="GuestResult.GuestStillRunning"/>).
    /// </param>
    public WasmtimeGuestEngine(string? cacheDirectory = null, bool meterFuel = false, long cacheSizeLimitBytes = ModuleCache.DefaultSizeLimitBytes,
        bool interruptible = true)
    {
        _meterFuel = meterFuel;
        _interruptible = interruptible;
        var config = new Config()
            .WithEpochInterruption(interruptible)
            .WithFuelConsumption(meterFuel)
            .WithMaximumStackSize(WasmStackBytes)
            .WithOptimizationLevel(OptimizationLevel.Speed);
        _engine = new Engine(config);
        // Everything that changes the compiled code keys the cache: the engine's version and these settings.
        var settings = $"wasmtime {WasmtimeVersion}; epoch={(interruptible ? 1 : 0)}; fuel={(meterFuel ? 1 : 0)}; stack={WasmStackBytes}; opt=speed";
        Version = $"wasmtime-{WasmtimeVersion}";
        _cache = cacheDirectory is null ? null : new ModuleCache(Path.Combine(cacheDirectory, "wasmtime"), settings, cacheSizeLimitBytes);
    }

    public static string WasmtimeVersion { get; } =
        (typeof(Engine).Assembly.GetCustomAttributes(false).OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()
            ?.InformationalVersion ?? "unknown").Split('+')[0];

    public string Name => EngineName;

    public string Version { get; }

    /// <summary>Room for Wasmtime's wasm stack and the host frames of WASI calls beneath it.</summary>
    public int GuestThreadStackBytes => WasmStackBytes + (4 << 20);

    public GuestModule Compile(ReadOnlyMemory<byte> bytes, string name)
    {
        // The entry's key hashes the whole module: computed once for the lookup and, on a miss, the store.
        var entry = _cache?.EntryPath(bytes.Span);
        if (entry is not null && _cache!.TryLoad(_engine, entry, name) is { } cached) return new WasmtimeGuestModule(this, cached) { FromCache = true, Description = NativeCode };
        Module module;
        try
        {
            module = Module.FromBytes(_engine, name, bytes.Span);
        }
        catch (WasmtimeException e)
        {
            throw new GuestModuleException(Classify(e.Message), FirstLine(e.Message), e);
        }

        if (entry is not null) _cache!.Store(module, entry);
        return new WasmtimeGuestModule(this, module) { Description = NativeCode };
    }

    public void Dispose() => _engine.Dispose();

    /// <summary>wasmparser words decode errors as these; anything else is a validation error.</summary>
    private static GuestModuleError Classify(string message) =>
        message.Contains("unexpected end", StringComparison.Ordinal) || message.Contains("malformed", StringComparison.Ordinal)
        || message.Contains("magic header", StringComparison.Ordinal) || message.Contains("section", StringComparison.Ordinal) && message.Contains("out of order", StringComparison.Ordinal)
            ? GuestModuleError.Malformed
            : GuestModuleError.Invalid;

    private static string FirstLine(string message)
    {
        // Wasmtime's messages nest causes on following lines ("Caused by: ..."); keep them on one line.
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l is not "Caused by:" and not "" && !l.StartsWith("Stack backtrace", StringComparison.Ordinal));
        return string.Join(": ", lines.Select(l => l.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ' ')));
    }

    private sealed class WasmtimeGuestModule(WasmtimeGuestEngine owner, Module module) : GuestModule
    {
        public override bool ExportsStart => module.Exports.Any(e => e is FunctionExport && e.Name == "_start");

        public override GuestInstance Instantiate(WasiPreview1 wasi, GuestLimits limits)
        {
            var store = new Store(owner._engine);
            try
            {
                if (owner._interruptible) store.SetEpochDeadline(1);
                if (owner._meterFuel) store.Fuel = limits.Fuel is { } fuel ? (ulong)Math.Max(0, fuel) : ulong.MaxValue;
                if (limits.MemoryLimitBytes is { } cap) store.SetLimits(memorySize: cap, tableElements: null, instances: null, tables: null, memories: null);
                using var linker = new Linker(owner._engine);
                foreach (var import in WasiImports.All) Bind(linker, wasi, import);
                var unknown = module.Imports.FirstOrDefault(i => i.ModuleName != WasiPreview1.ModuleName || WasiImports.All.All(w => w.Name != i.Name));
                if (unknown is not null)
                    throw new GuestModuleException(GuestModuleError.Link, $"unknown import: {unknown.ModuleName}.{unknown.Name} is not defined");
                Instance instance;
                try
                {
                    instance = linker.Instantiate(store, module);
                }
                catch (TrapException e)
                {
                    throw Translate(e);
                }
                catch (WasmtimeException e)
                {
                    throw new GuestModuleException(GuestModuleError.Link, FirstLine(e.Message), e);
                }

                return new WasmtimeGuestInstance(owner, store, instance);
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        public override void Dispose()
        {
            module.Dispose();
            base.Dispose();
        }
    }

    private sealed class WasmtimeGuestInstance(WasmtimeGuestEngine owner, Store store, Instance instance) : GuestInstance
    {
        public override long LinearMemoryBytes => instance.GetMemory("memory")?.GetLength() ?? 0;

        public override void Run()
        {
            var start = instance.GetFunction("_start")!;
            try
            {
                start.Invoke();
            }
            catch (WasmtimeException e) when (e.InnerException is WasiExitException exit)
            {
                throw exit;
            }
            catch (WasmtimeException e)
            {
                throw Translate(e);
            }
        }

        public override bool Interruptible => owner._interruptible;

        public override void Interrupt()
        {
            if (owner._interruptible) owner._engine.IncrementEpoch();
        }

        public override void Dispose()
        {
            store.Dispose();
            base.Dispose();
        }
    }

    /// <summary>A trap in our own words: the reason, then the wasm backtrace innermost first.</summary>
    private static GuestTrapException Translate(WasmtimeException e)
    {
        var code = (e as TrapException)?.Type;
        var kind = code switch
        {
            TrapCode.Interrupt => GuestTrapKind.Interrupted,
            TrapCode.OutOfFuel => GuestTrapKind.OutOfFuel,
            _ => GuestTrapKind.Trap,
        };
        string reason;
        if (e.InnerException is WasiTrapException wasi)
        {
            reason = wasi.Message;
            if (wasi.Kind == WasiTrapKind.Interrupted) kind = GuestTrapKind.Interrupted;
        }
        else if (e.InnerException is { } cause)
        {
            reason = $"host function failed\ncaused by: {cause.GetType().Name}: {cause.Message}";
        }
        else
        {
            reason = code switch
            {
                TrapCode.StackOverflow => "call stack exhausted",
                TrapCode.MemoryOutOfBounds => "out of bounds memory access",
                TrapCode.TableOutOfBounds => "out of bounds table access",
                TrapCode.IndirectCallToNull => "uninitialized element",
                TrapCode.BadSignature => "indirect call type mismatch",
                TrapCode.IntegerOverflow => "integer overflow",
                TrapCode.IntegerDivisionByZero => "integer divide by zero",
                TrapCode.BadConversionToInteger => "invalid conversion to integer",
                TrapCode.Unreachable => "unreachable",
                TrapCode.Interrupt => "interrupted",
                TrapCode.OutOfFuel => "all fuel consumed",
                _ => FirstLine(e.Message.Split("\nwasm backtrace:", 2)[0]),
            };
        }

        var report = new StringBuilder($"wasm trap: {reason}");
        if (e.Frames is { Count: > 0 } frames)
        {
            report.Append("\nwasm backtrace:");
            for (var i = 0; i < frames.Count; i++)
            {
                var f = frames[i];
                var module = f.ModuleName is null ? "" : f.ModuleName + "!";
                report.Append($"\n  {i}: {module}{f.FunctionName ?? "<unnamed>"} @ 0x{(ulong)f.ModuleOffset:x}");
            }
        }

        return new GuestTrapException(kind, report.ToString(), e);
    }

    private static readonly ValueKind[] ErrnoResult = [ValueKind.Int32];

    /// <summary>One WASI function as an untyped host function: arguments widened to i64, one i32 errno back.</summary>
    private static void Bind(Linker linker, WasiPreview1 wasi, WasiImport import)
    {
        var parameters = import.Parameters.Select(p => p == WasiValueType.I64 ? ValueKind.Int64 : ValueKind.Int32).ToArray();
        var i64 = import.Parameters.Select(p => p == WasiValueType.I64).ToArray();
        linker.DefineFunction(WasiPreview1.ModuleName, import.Name, (caller, arguments, results) =>
        {
            Span<long> values = stackalloc long[arguments.Length];
            for (var i = 0; i < arguments.Length; i++) values[i] = i64[i] ? arguments[i].AsInt64() : arguments[i].AsInt32();
            var memory = import.UsesMemory ? GuestMemoryOf(caller) : [];
            var errno = import.Call(wasi, memory, values);
            if (import.HasResult) results[0] = errno;
        }, parameters, import.HasResult ? ErrnoResult : []);
    }

    private static unsafe Span<byte> GuestMemoryOf(Caller caller)
    {
        var memory = caller.GetMemory("memory") ?? throw new WasiTrapException(WasiTrapKind.NoMemory,
            "a WASI function was called by a module that exports no memory named \"memory\"");
        return new Span<byte>((void*)memory.GetPointer(), (int)Math.Min(memory.GetLength(), int.MaxValue));
    }
}
