using System.Runtime.Intrinsics;
using Wt = Wasmtime;

namespace WasmKube.Runtime.SpecTests.Engines;

/// <summary>
/// Wasmtime (the .NET embedding) behind the harness seam, configured to the WebAssembly 2.0 feature set as far as
/// its Config allows (see the README for what it cannot switch off). Running code is interrupted by bumping the
/// engine's epoch, so one engine must not run two sessions at once. <paramref name="limits"/> bounds each
/// session's memories and tables.
/// </summary>
public sealed class WasmtimeSpecEngine : ISpecEngine, IDisposable
{
    private readonly Wt.Engine _engine;
    private readonly (long MemoryBytes, uint TableElements)? _limits;

    public WasmtimeSpecEngine(bool consumeFuel = false, (long MemoryBytes, uint TableElements)? limits = null)
    {
        _limits = limits;
        var config = new Wt.Config()
            .WithEpochInterruption(true)
            .WithFuelConsumption(consumeFuel)
            // Post-2.0 proposals that Wasmtime 50 enables by default, which would make some of the suite's
            // assert_invalid modules valid. GC first: it depends on function references.
            .WithGc(false)
            .WithFunctionReferences(false)
            .WithTailCalls(false)
            .WithExceptions(false)
            .WithWasmThreads(false)
            .WithRelaxedSIMD(false, false)
            .WithMultiMemory(false)
            .WithMemory64(false)
            .WithWideArithmetic(false)
            .WithComponentModel(false)
            // The 2.0 features the suite needs, explicitly.
            .WithSIMD(true)
            .WithReferenceTypes(true)
            .WithBulkMemory(true)
            .WithMultiValue(true)
            // Compiling many small modules one after another: extra compiler threads only contend on a loaded machine.
            .WithParallelCompilation(false);
        _engine = new Wt.Engine(config);
    }

    public string Name => "wasmtime";

    public bool SpeaksTheSpecsTerms => false;

    public ISpecSession OpenSession() => new Session(_engine, _limits);

    public void Dispose() => _engine.Dispose();

    private sealed class Session : ISpecSession
    {
        private readonly Wt.Engine _engine;
        private readonly Wt.Store _store;
        private readonly Wt.Linker _linker;
        private readonly List<Wt.Module> _modules = [];

        public Session(Wt.Engine engine, (long MemoryBytes, uint TableElements)? limits)
        {
            _engine = engine;
            _store = new Wt.Store(engine);
            _store.SetEpochDeadline(1);
            if (limits is var (memoryBytes, tableElements))
            {
                _store.SetLimits(memorySize: memoryBytes, tableElements: tableElements, instances: null, tables: null, memories: null);
            }

            _linker = new Wt.Linker(engine) { AllowShadowing = true };
            DefineSpectest();
        }

        public object Compile(byte[] bytes, string name)
        {
            var module = Translate(() => Wt.Module.FromBytes(_engine, name, bytes), compiling: true);
            _modules.Add(module);
            return module;
        }

        public object Instantiate(object module) => Translate(() => _linker.Instantiate(_store, (Wt.Module)module), compiling: false);

        public void Register(string name, object instance) => _linker.DefineInstance(_store, name, (Wt.Instance)instance);

        public IReadOnlyList<(string Name, IReadOnlyList<WasmType> Parameters)> ExportedFunctions(object instance) =>
            [.. ((Wt.Instance)instance).GetFunctions()
                .Select(export => (export.Name, (IReadOnlyList<WasmType>)[.. export.Function.Parameters.Select(TypeOf)]))];

        public WasmValue[] Invoke(object instance, string export, IReadOnlyList<WasmValue> arguments)
        {
            var function = ((Wt.Instance)instance).GetFunction(export) ?? throw new KeyNotFoundException($"the instance exports no function \"{export}\"");
            var boxes = arguments.Select(ToBox).ToArray();
            var result = Translate(() => function.Invoke(boxes), compiling: false);
            var kinds = function.Results;
            return kinds.Count switch
            {
                0 => [],
                1 => [FromObject(kinds[0], result)],
                _ => [.. ((object?[])result!).Select((value, i) => FromObject(kinds[i], value))],
            };
        }

        public WasmValue GetGlobal(object instance, string export)
        {
            var global = ((Wt.Instance)instance).GetGlobal(export) ?? throw new KeyNotFoundException($"the instance exports no global \"{export}\"");
            return FromObject(global.Kind, global.GetValue());
        }

        public ExportedState StateOf(object instance)
        {
            var wasmtimeInstance = (Wt.Instance)instance;
            var memories = wasmtimeInstance.GetMemories()
                .Select(m => (m.Name, ExportedState.MemoryDigest(m.Memory.GetLength(), length => m.Memory.GetSpan(0, length))));
            var tables = wasmtimeInstance.GetTables().Select(t => (t.Name, $"table: {t.Table.GetSize()} elements"));
            return new ExportedState(
                [.. wasmtimeInstance.GetGlobals().OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => (g.Name, FromObject(g.Global.Kind, g.Global.GetValue())))],
                [.. memories.Concat(tables).OrderBy(e => e.Name, StringComparer.Ordinal)]);
        }

        public void SetFuel(long fuel) => _store.Fuel = (ulong)fuel;

        public void Interrupt() => _engine.IncrementEpoch();

        public void ResetInterrupt() => _store.SetEpochDeadline(1);

        // Compiled modules hold native code: free it with the session rather than leave it to finalizers.
        public void Dispose()
        {
            _linker.Dispose();
            _store.Dispose();
            _modules.ForEach(module => module.Dispose());
        }

        private void DefineSpectest()
        {
            const string module = SpectestModule.Name;
            _linker.DefineFunction(module, "print", () => { });
            _linker.DefineFunction(module, "print_i32", (int _) => { });
            _linker.DefineFunction(module, "print_i64", (long _) => { });
            _linker.DefineFunction(module, "print_f32", (float _) => { });
            _linker.DefineFunction(module, "print_f64", (double _) => { });
            _linker.DefineFunction(module, "print_i32_f32", (int _, float _) => { });
            _linker.DefineFunction(module, "print_f64_f64", (double _, double _) => { });
            _linker.Define(module, "global_i32", new Wt.Global(_store, Wt.ValueKind.Int32, 666, Wt.Mutability.Immutable));
            _linker.Define(module, "global_i64", new Wt.Global(_store, Wt.ValueKind.Int64, 666L, Wt.Mutability.Immutable));
            _linker.Define(module, "global_f32", new Wt.Global(_store, Wt.ValueKind.Float32, 666.6f, Wt.Mutability.Immutable));
            _linker.Define(module, "global_f64", new Wt.Global(_store, Wt.ValueKind.Float64, 666.6, Wt.Mutability.Immutable));
            _linker.Define(module, "table", new Wt.Table(_store, Wt.TableKind.FuncRef, null, 10, 20));
            _linker.Define(module, "memory", new Wt.Memory(_store, 1, 2, false));
        }

        private static T Translate<T>(Func<T> action, bool compiling)
        {
            try
            {
                return action();
            }
            catch (Wt.TrapException e)
            {
                throw new EngineFailure(FailureClass.Trap, e.Message, TrapOf(e.Type), e);
            }
            catch (Wt.WasmtimeException e) when (compiling)
            {
                // Wasmtime reports decoding and validation errors alike; its wording is its own.
                throw new EngineFailure(FailureClass.Rejected, e.Message, inner: e);
            }
            catch (Wt.WasmtimeException e) when (e.Message.Contains("import", StringComparison.Ordinal))
            {
                throw new EngineFailure(FailureClass.Unlinkable, e.Message, inner: e);
            }
            catch (Wt.WasmtimeException e)
            {
                throw new EngineFailure(FailureClass.Other, e.Message, inner: e);
            }
        }

        private static TrapClass TrapOf(Wt.TrapCode? code) => code switch
        {
            Wt.TrapCode.Unreachable => TrapClass.Unreachable,
            Wt.TrapCode.MemoryOutOfBounds or Wt.TrapCode.HeapMisaligned => TrapClass.MemoryOutOfBounds,
            Wt.TrapCode.TableOutOfBounds => TrapClass.TableOutOfBounds,
            Wt.TrapCode.IndirectCallToNull => TrapClass.UninitializedElement,
            Wt.TrapCode.BadSignature => TrapClass.IndirectCallTypeMismatch,
            Wt.TrapCode.IntegerDivisionByZero => TrapClass.IntegerDivideByZero,
            Wt.TrapCode.IntegerOverflow => TrapClass.IntegerOverflow,
            Wt.TrapCode.BadConversionToInteger => TrapClass.InvalidConversionToInteger,
            Wt.TrapCode.StackOverflow => TrapClass.CallStackExhausted,
            Wt.TrapCode.NullReference => TrapClass.NullReference,
            Wt.TrapCode.OutOfFuel => TrapClass.OutOfFuel,
            Wt.TrapCode.Interrupt => TrapClass.Interrupted,
            _ => TrapClass.Other,
        };

        private static WasmType TypeOf(Wt.ValueKind kind) => kind switch
        {
            Wt.ValueKind.Int32 => WasmType.I32,
            Wt.ValueKind.Int64 => WasmType.I64,
            Wt.ValueKind.Float32 => WasmType.F32,
            Wt.ValueKind.Float64 => WasmType.F64,
            Wt.ValueKind.V128 => WasmType.V128,
            Wt.ValueKind.FuncRef => WasmType.FuncRef,
            Wt.ValueKind.ExternRef => WasmType.ExternRef,
            _ => throw new NotSupportedException($"value kind {kind}"),
        };

        private static Wt.ValueBox ToBox(WasmValue value)
        {
            switch (value.Type)
            {
                case WasmType.I32: return (int)(uint)value.Bits;
                case WasmType.I64: return (long)value.Bits;
                case WasmType.F32: return BitConverter.UInt32BitsToSingle((uint)value.Bits);
                case WasmType.F64: return BitConverter.UInt64BitsToDouble(value.Bits);
                case WasmType.FuncRef: return (Wt.Function?)value.Reference;
                case WasmType.ExternRef: return Wt.ValueBox.AsBox(value.Reference);
                default:
                    Span<byte> bytes = stackalloc byte[16];
                    value.Vector.CopyTo(bytes);
                    return new Wt.V128(bytes);
            }
        }

        private static WasmValue FromObject(Wt.ValueKind kind, object? value)
        {
            switch (kind)
            {
                case Wt.ValueKind.Int32: return WasmValue.I32((uint)(int)value!);
                case Wt.ValueKind.Int64: return WasmValue.I64((ulong)(long)value!);
                case Wt.ValueKind.Float32: return WasmValue.F32(BitConverter.SingleToUInt32Bits((float)value!));
                case Wt.ValueKind.Float64: return WasmValue.F64(BitConverter.DoubleToUInt64Bits((double)value!));
                case Wt.ValueKind.FuncRef: return WasmValue.FuncRef(value is Wt.Function { IsNull: false } function ? function : null);
                case Wt.ValueKind.ExternRef: return WasmValue.ExternRef(value);
                case Wt.ValueKind.V128:
                    Span<byte> bytes = stackalloc byte[16];
                    ((Wt.V128)value!).CopyTo(bytes);
                    return WasmValue.V128(Vector128.Create((ReadOnlySpan<byte>)bytes));
                default:
                    throw new NotSupportedException($"value kind {kind}");
            }
        }
    }
}
