using System.Collections.Immutable;
using WasmKube.Runtime.Tests.Execution;

namespace WasmKube.Runtime.Tests.Api;

public sealed class HostFunctionTests
{
    private const string Client = """
        (module
          (import "host" "add" (func $add (param i32 i64) (result i64)))
          (import "host" "pair" (func $pair (param f64) (result f64 i32)))
          (import "host" "poke" (func $poke (param i32)))
          (memory (export "memory") 1)
          (func (export "add") (param i32 i64) (result i64) (call $add (local.get 0) (local.get 1)))
          (func (export "pair") (param f64) (result i32) (local $i i32)
            (call $pair (local.get 0)) (local.set $i) (drop) (local.get $i))
          (func (export "poke") (param i32) (result i32) (call $poke (local.get 0)) (i32.load8_u (local.get 0))))
        """;

    private static Linker HostLinker(Store store, List<Instance?> callers) => new Linker()
        .DefineFunction(store, "host", "add", (Func<int, long, long>)((a, b) => a + b))
        .DefineFunction(store, "host", "pair", (Func<double, (double, int)>)(x => (x * 2, (int)x)))
        .DefineFunction(store, "host", "poke", (Action<Caller, int>)((caller, address) =>
        {
            callers.Add(caller.Instance);
            caller.GetMemory()!.Span[address] = 0xAB;
        }));

    [Fact]
    public void TypedHostFunctionsGetAndReturnValues()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var callers = new List<Instance?>();
        var instance = Wat.Instantiate(Client, linker: HostLinker(store, callers), store: store);

        Assert.Equal(7L + int.MaxValue, instance.GetFunction("add")!.Invoke(Value.I32(int.MaxValue), Value.I64(7))[0].AsI64());
        Assert.Equal(3, instance.GetFunction("pair")!.Invoke(Value.F64(3.75))[0].AsI32());
        Assert.Equal(0xAB, instance.GetFunction("poke")!.Invoke(Value.I32(42))[0].AsI32());
        Assert.Same(instance, Assert.Single(callers));
    }

    [Fact]
    public void UntypedHostFunctionsWork()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var type = new FunctionType([ValueType.I32, ValueType.I32], [ValueType.I32, ValueType.I32]);
        var swap = new Func(store, type, (caller, arguments, results) =>
        {
            results[0] = arguments[1];
            results[1] = arguments[0];
        });
        var instance = Wat.Instantiate("""
            (module
              (import "host" "swap" (func $swap (param i32 i32) (result i32 i32)))
              (func (export "diff") (param i32 i32) (result i32) (i32.sub (call $swap (local.get 0) (local.get 1)))))
            """, linker: new Linker().Define("host", "swap", swap), store: store);
        Assert.Equal(10 - 3, instance.GetFunction("diff")!.Invoke(Value.I32(3), Value.I32(10))[0].AsI32());
        Assert.Equal([Value.I32(2), Value.I32(1)], swap.Invoke(Value.I32(1), Value.I32(2)));
    }

    [Fact]
    public void HostExceptionsBecomeHostErrorTrapsButExitsPassThrough()
    {
        var engine = new Engine();
        var store = new Store(engine);
        const string Module = """
            (module (import "host" "f" (func $f (param i32)))
              (func (export "run") (param i32) (call $f (local.get 0))))
            """;
        var linker = new Linker().DefineFunction(store, "host", "f", (Action<int>)(code =>
        {
            if (code == 0) throw new InvalidOperationException("boom");
            if (code == 1) throw new TrapException(TrapKind.Unreachable);
            throw new ExitException(code);
        }));
        var run = Wat.Instantiate(Module, linker: linker, store: store).GetFunction("run")!;

        var hostError = Assert.Throws<TrapException>(() => run.Invoke(Value.I32(0)));
        Assert.Equal(TrapKind.HostError, hostError.Kind);
        Assert.IsType<InvalidOperationException>(hostError.InnerException);
        Assert.Equal(TrapKind.Unreachable, Assert.Throws<TrapException>(() => run.Invoke(Value.I32(1))).Kind);
        Assert.Equal(7, Assert.Throws<ExitException>(() => run.Invoke(Value.I32(7))).ExitCode);
    }

    [Fact]
    public void WrapRejectsTypesWithoutAWasmEquivalent()
    {
        var store = new Store(new Engine());
        var error = Assert.Throws<ArgumentException>(() => Func.Wrap(store, (Func<string, int>)(s => s.Length)));
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
        Assert.Equal(new FunctionType([ValueType.FuncRef, ValueType.ExternRef], ImmutableArray<ValueType>.Empty),
            Func.Wrap(store, (Action<Func?, object?>)((_, _) => { })).Type);
    }

    [Fact]
    public void WideSignaturesCrossTheHostBoundary()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var parameters = Enumerable.Repeat(ValueType.I64, 20).ToArray();
        var sum = new Func(store, new FunctionType(parameters, [ValueType.I64]), (_, arguments, results) =>
            results[0] = Value.I64(arguments.ToArray().Sum(a => a.AsI64())));
        var locals = string.Join(" ", Enumerable.Range(0, 20).Select(i => $"(local.get {i})"));
        var instance = Wat.Instantiate($$"""
            (module
              (import "host" "sum" (func $sum (param {{string.Join(" ", parameters.Select(_ => "i64"))}}) (result i64)))
              (func (export "relay") (param {{string.Join(" ", parameters.Select(_ => "i64"))}}) (result i64) (call $sum {{locals}})))
            """, linker: new Linker().Define("host", "sum", sum), store: store);
        var arguments = Enumerable.Range(1, 20).Select(i => Value.I64(i)).ToArray();
        Assert.Equal(Enumerable.Range(1, 20).Sum(), instance.GetFunction("relay")!.Invoke(arguments)[0].AsI64());
    }
}
