using WasmKube.Runtime;
using WasmKube.Wasi;

namespace WasmKube.Guest.Cil;

/// <summary>
/// The <c>wasmkube</c> engine: modules compiled to CIL by <c>WasmKube.Runtime</c>, cached as assemblies (with
/// ReadyToRun code when <paramref name="readyToRunCompiler"/> is given; <paramref name="diagnostic"/> hears why it fell
/// back to IL).
/// </summary>
public sealed class CilGuestEngine(string? cacheDirectory = null, bool meterFuel = false, string? readyToRunCompiler = null,
    Action<string>? diagnostic = null) : IGuestEngine
{
    public const string EngineName = "wasmkube";

    private readonly Engine _engine = new(new EngineOptions
    {
        CacheDirectory = cacheDirectory,
        ConsumeFuel = meterFuel,
        ReadyToRunCompiler = readyToRunCompiler,
        Diagnostic = diagnostic,
    });

    public string Name => EngineName;

    public string Version => Engine.Version;

    /// <summary>Compiled code runs on the thread's stack; the engine's call-depth limit traps well before 256 MiB.</summary>
    public int GuestThreadStackBytes => 256 << 20;

    public GuestModule Compile(ReadOnlyMemory<byte> bytes, string name)
    {
        try
        {
            var module = Module.FromBytes(_engine, bytes.Span, name);
            return new CilGuestModule(module) { Description = module.IsReadyToRun ? "ReadyToRun native code" : "IL only" };
        }
        catch (MalformedModuleException e)
        {
            throw new GuestModuleException(GuestModuleError.Malformed, e.Message, e);
        }
        catch (InvalidModuleException e)
        {
            throw new GuestModuleException(GuestModuleError.Invalid, e.Message, e);
        }
        catch (CompileLimitException e)
        {
            throw new GuestModuleException(GuestModuleError.Unsupported, e.Message, e);
        }
    }

    public void Dispose()
    {
    }

    private sealed class CilGuestModule(Module module) : GuestModule
    {
        public override bool ExportsStart => module.Exports.Any(e => e.Name == "_start" && e.Kind == ExternKind.Function);

        public override GuestInstance Instantiate(WasiPreview1 wasi, GuestLimits limits)
        {
            var store = new Store(module.Engine) { MemoryLimitBytes = limits.MemoryLimitBytes };
            if (limits.Fuel is { } fuel) store.Fuel = fuel;
            var linker = new Linker();
            foreach (var import in WasiImports.All) linker.Define(WasiPreview1.ModuleName, import.Name, Bind(store, wasi, import));
            try
            {
                return new CilGuestInstance(store, linker.Instantiate(store, module));
            }
            catch (LinkException e)
            {
                throw new GuestModuleException(GuestModuleError.Link, e.Message, e);
            }
            catch (TrapException e)
            {
                throw CilGuestInstance.Translate(e);
            }
        }
    }

    private sealed class CilGuestInstance(Store store, Instance instance) : GuestInstance
    {
        public override long LinearMemoryBytes => instance.GetMemory("memory")?.Length ?? 0;

        public override void Run()
        {
            try
            {
                instance.GetFunction("_start")!.Invoke();
            }
            catch (TrapException e) when (e.InnerException is WasiExitException exit)
            {
                throw exit;
            }
            catch (TrapException e)
            {
                throw Translate(e);
            }
        }

        public override void Interrupt() => store.Interrupt();

        /// <summary>A WASI call that ends the guest reports its own reason, with the guest's backtrace.</summary>
        public static GuestTrapException Translate(TrapException trap)
        {
            var kind = trap.Kind switch
            {
                TrapKind.OutOfFuel => GuestTrapKind.OutOfFuel,
                TrapKind.Interrupted => GuestTrapKind.Interrupted,
                _ => GuestTrapKind.Trap,
            };
            var report = trap.Describe();
            if (trap.InnerException is WasiTrapException wasi)
            {
                kind = wasi.Kind == WasiTrapKind.Interrupted ? GuestTrapKind.Interrupted : GuestTrapKind.Trap;
                var backtrace = report.IndexOf('\n');
                report = $"wasm trap: {wasi.Message}" + (backtrace < 0 ? "" : report[backtrace..]);
            }
            else if (trap is { Kind: TrapKind.HostError, InnerException: { } cause })
            {
                report += $"\ncaused by: {cause.GetType().Name}: {cause.Message}";
            }

            return new GuestTrapException(kind, report, trap);
        }
    }

    /// <summary>One WASI function as an untyped host function: arguments widened to i64, one i32 errno back.</summary>
    private static Func Bind(Store store, WasiPreview1 wasi, WasiImport import)
    {
        var parameters = import.Parameters.Select(p => p == WasiValueType.I64 ? Runtime.ValueType.I64 : Runtime.ValueType.I32);
        var type = new FunctionType(parameters, import.HasResult ? [Runtime.ValueType.I32] : []);
        return new Func(store, type, (caller, arguments, results) =>
        {
            Span<long> values = stackalloc long[arguments.Length];
            for (var i = 0; i < arguments.Length; i++) values[i] = arguments[i].Type == Runtime.ValueType.I64 ? arguments[i].AsI64() : arguments[i].AsI32();
            var memory = import.UsesMemory ? GuestMemoryOf(caller) : [];
            var errno = import.Call(wasi, memory, values);
            if (import.HasResult) results[0] = Value.I32(errno);
        });
    }

    private static Span<byte> GuestMemoryOf(Caller caller) =>
        (caller.GetMemory() ?? throw new WasiTrapException(WasiTrapKind.NoMemory,
            "a WASI function was called by a module that exports no memory named \"memory\"")).Span;
}
