namespace WasmKube.Runtime.SpecTests.Engines;

/// <summary>
/// The project's own engine (wasm compiled to CIL) behind the harness seam; <paramref name="memoryLimitBytes"/>
/// limits each session's store.
/// </summary>
public sealed class WasmKubeSpecEngine(EngineOptions? options = null, long? memoryLimitBytes = null) : ISpecEngine
{
    private readonly Engine _engine = new(options);

    public string Name => "wasmkube";

    public bool SpeaksTheSpecsTerms => true;

    public ISpecSession OpenSession() => new Session(_engine, memoryLimitBytes);

    private sealed class Session : ISpecSession
    {
        private readonly Engine _engine;
        private readonly Store _store;
        private readonly Linker _linker = new();

        public Session(Engine engine, long? memoryLimitBytes)
        {
            _engine = engine;
            _store = new Store(engine) { MemoryLimitBytes = memoryLimitBytes };
            SpectestModule.Define(_linker, _store);
        }

        public object Compile(byte[] bytes, string name) => Translate(() => Module.FromBytes(_engine, bytes, name));

        public object Instantiate(object module) => Translate(() => _linker.Instantiate(_store, (Module)module));

        public void Register(string name, object instance) => _linker.DefineInstance(name, (Instance)instance);

        public IReadOnlyList<(string Name, IReadOnlyList<WasmType> Parameters)> ExportedFunctions(object instance) =>
            [.. ((Instance)instance).Exports
                .Where(export => export.Value is Func)
                .Select(export => (export.Key, (IReadOnlyList<WasmType>)[.. ((Func)export.Value).Type.Parameters.Select(TypeOf)]))];

        public WasmValue[] Invoke(object instance, string export, IReadOnlyList<WasmValue> arguments)
        {
            var function = ((Instance)instance).GetFunction(export) ?? throw new KeyNotFoundException($"the instance exports no function \"{export}\"");
            var values = arguments.Select(ToValue).ToArray();
            return [.. Translate(() => function.Invoke(values)).Select(FromValue)];
        }

        public WasmValue GetGlobal(object instance, string export) =>
            FromValue((((Instance)instance).GetGlobal(export) ?? throw new KeyNotFoundException($"the instance exports no global \"{export}\"")).Value);

        public ExportedState StateOf(object instance)
        {
            var exports = ((Instance)instance).Exports.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
            return new ExportedState(
                [.. exports.Where(e => e.Value is Global).Select(e => (e.Key, FromValue(((Global)e.Value).Value)))],
                [.. exports.Select(e => e.Value switch
                    {
                        Memory memory => (e.Key, ExportedState.MemoryDigest(memory.Length, length => memory.Span[..length])),
                        Table table => (e.Key, $"table: {table.Size} elements"),
                        _ => (e.Key, ""),
                    })
                    .Where(e => e.Item2.Length > 0)]);
        }

        public void SetFuel(long fuel) => _store.Fuel = fuel;

        public void Interrupt() => _store.Interrupt();

        public void ResetInterrupt() => _store.ResetInterrupt();

        public void Dispose()
        {
        }

        private static T Translate<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (MalformedModuleException e)
            {
                throw new EngineFailure(FailureClass.Malformed, e.Reason, inner: e);
            }
            catch (InvalidModuleException e)
            {
                throw new EngineFailure(FailureClass.Invalid, e.Reason, inner: e);
            }
            catch (LinkException e)
            {
                throw new EngineFailure(FailureClass.Unlinkable, e.Reason, inner: e);
            }
            catch (TrapException e)
            {
                throw new EngineFailure(FailureClass.Trap, e.Message, TrapOf(e.Kind), e);
            }
            catch (WasmException e)
            {
                throw new EngineFailure(FailureClass.Other, e.Message, inner: e);
            }
        }

        private static TrapClass TrapOf(TrapKind kind) => kind switch
        {
            TrapKind.Unreachable => TrapClass.Unreachable,
            TrapKind.MemoryOutOfBounds or TrapKind.DataSegmentOutOfBounds => TrapClass.MemoryOutOfBounds,
            // The spec's "undefined element" (call_indirect past the table's end) is a table bounds fault too.
            TrapKind.TableOutOfBounds or TrapKind.UndefinedElement or TrapKind.ElementSegmentOutOfBounds => TrapClass.TableOutOfBounds,
            TrapKind.UninitializedElement => TrapClass.UninitializedElement,
            TrapKind.IndirectCallTypeMismatch => TrapClass.IndirectCallTypeMismatch,
            TrapKind.IntegerDivideByZero => TrapClass.IntegerDivideByZero,
            TrapKind.IntegerOverflow => TrapClass.IntegerOverflow,
            TrapKind.InvalidConversionToInteger => TrapClass.InvalidConversionToInteger,
            TrapKind.CallStackExhausted => TrapClass.CallStackExhausted,
            TrapKind.NullReference => TrapClass.NullReference,
            TrapKind.OutOfFuel => TrapClass.OutOfFuel,
            TrapKind.Interrupted => TrapClass.Interrupted,
            _ => TrapClass.Other,
        };

        private static WasmType TypeOf(ValueType type) => type switch
        {
            ValueType.I32 => WasmType.I32,
            ValueType.I64 => WasmType.I64,
            ValueType.F32 => WasmType.F32,
            ValueType.F64 => WasmType.F64,
            ValueType.V128 => WasmType.V128,
            ValueType.FuncRef => WasmType.FuncRef,
            ValueType.ExternRef => WasmType.ExternRef,
            _ => throw new NotSupportedException($"value type {type}"),
        };

        private static Value ToValue(WasmValue value) => value.Type switch
        {
            WasmType.I32 => Value.I32((int)(uint)value.Bits),
            WasmType.I64 => Value.I64((long)value.Bits),
            WasmType.F32 => Value.F32Bits((uint)value.Bits),
            WasmType.F64 => Value.F64Bits(value.Bits),
            WasmType.V128 => Value.V128(value.Vector),
            WasmType.FuncRef => Value.FuncRef((Func?)value.Reference),
            _ => Value.ExternRef(value.Reference),
        };

        private static WasmValue FromValue(Value value) => value.Type switch
        {
            ValueType.I32 => WasmValue.I32((uint)value.Bits),
            ValueType.I64 => WasmValue.I64(value.Bits),
            ValueType.F32 => WasmValue.F32((uint)value.Bits),
            ValueType.F64 => WasmValue.F64(value.Bits),
            ValueType.V128 => WasmValue.V128(value.AsV128()),
            ValueType.FuncRef => WasmValue.FuncRef(value.Reference),
            ValueType.ExternRef => WasmValue.ExternRef(value.Reference),
            _ => throw new NotSupportedException($"value type {value.Type}"),
        };
    }
}
