namespace WasmKube.Runtime.Tests.Execution;

/// <summary>Traps: kinds, backtraces, stack exhaustion, interruption and fuel.</summary>
public sealed class TrapTests
{
    [Fact]
    public void TrapNamesTheFunctionsAndTheInstructionOffset()
    {
        var wasm = Wat.ToWasm("""
            (module
              (memory 1)
              (func $inner (param i32) (result i32) (i32.load (local.get 0)))
              (func $middle (param i32) (result i32) (call $inner (local.get 0)) (i32.const 1) (i32.add))
              (func (export "outer") (param i32) (result i32) (call $middle (local.get 0))))
            """);
        var engine = new Engine();
        var instance = new Linker().Instantiate(new Store(engine), Module.FromBytes(engine, wasm, "sample"));

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("outer")!.Invoke(Value.I32(65536)));

        Assert.Equal(TrapKind.MemoryOutOfBounds, trap.Kind);
        var innermost = trap.Frames[0];
        Assert.Equal(0u, innermost.FunctionIndex);
        Assert.Equal("inner", innermost.FunctionName);
        Assert.Equal("sample", innermost.ModuleName);

        // The offset points at the i32.load opcode (0x28) in the module bytes.
        Assert.NotNull(innermost.ModuleOffset);
        Assert.Equal(0x28, wasm[innermost.ModuleOffset!.Value]);
        Assert.Contains(trap.Frames, f => f.FunctionName == "outer");
        Assert.Contains("out of bounds memory access", trap.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void TrapsRaisedByHelpersStillPointAtTheInstruction()
    {
        var wasm = Wat.ToWasm("""
            (module
              (func (export "divide") (param i32 i32) (result i32)
                (i32.add (i32.const 1) (i32.div_s (local.get 0) (local.get 1)))))
            """);
        var engine = new Engine();
        var instance = new Linker().Instantiate(new Store(engine), Module.FromBytes(engine, wasm));

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("divide")!.Invoke(Value.I32(1), Value.I32(0)));

        Assert.Equal(TrapKind.IntegerDivideByZero, trap.Kind);
        var frame = Assert.Single(trap.Frames);
        Assert.Equal("divide", frame.FunctionName);
        Assert.NotNull(frame.ModuleOffset);
        Assert.Equal(0x6D, wasm[frame.ModuleOffset!.Value]);

        // Traps raised inside helpers get the offset of the expression the helper belongs to.
        var overflow = Assert.Throws<TrapException>(() => instance.GetFunction("divide")!.Invoke(Value.I32(int.MinValue), Value.I32(-1)));
        Assert.Equal(TrapKind.IntegerOverflow, overflow.Kind);
        var offset = Assert.Single(overflow.Frames).ModuleOffset;
        Assert.NotNull(offset);
        Assert.InRange(offset!.Value, frame.ModuleOffset!.Value - 8, frame.ModuleOffset!.Value);
    }

    [Fact]
    public void UnreachableAndIndirectCallTrapsHaveTheirKinds()
    {
        var instance = Wat.Instantiate("""
            (module
              (type $v (func))
              (type $i (func (result i32)))
              (table 2 funcref)
              (elem (i32.const 0) $nothing)
              (func $nothing)
              (func (export "unreachable") unreachable)
              (func (export "call") (param i32) (result i32) (call_indirect (type $i) (local.get 0))))
            """);
        Assert.Equal(TrapKind.Unreachable, Assert.Throws<TrapException>(() => instance.GetFunction("unreachable")!.Invoke()).Kind);
        Assert.Equal(TrapKind.IndirectCallTypeMismatch, Assert.Throws<TrapException>(() => instance.GetFunction("call")!.Invoke(Value.I32(0))).Kind);
        Assert.Equal(TrapKind.UninitializedElement, Assert.Throws<TrapException>(() => instance.GetFunction("call")!.Invoke(Value.I32(1))).Kind);
        Assert.Equal(TrapKind.UndefinedElement, Assert.Throws<TrapException>(() => instance.GetFunction("call")!.Invoke(Value.I32(2))).Kind);
    }

    private const string Recursion = """
        (module
          (func $down (export "down") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0))
              (then (i64.const 0))
              (else (i64.add (i64.const 1) (call $down (i64.sub (local.get 0) (i64.const 1)))))))
          (func $forever (export "forever") (param i32 i64 f64) (result i32)
            (call $forever (i32.add (local.get 0) (i32.const 1)) (local.get 1) (local.get 2))))
        """;

    [Fact]
    public void UnboundedRecursionTrapsAndTheStoreStaysUsable()
    {
        var instance = Wat.Instantiate(Recursion);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("forever")!.Invoke(Value.I32(0), Value.I64(0), Value.F64(0)));
        Assert.Equal(TrapKind.CallStackExhausted, trap.Kind);

        // The same store runs again, and bounded recursion well below the limit succeeds.
        Assert.Equal(5000L, instance.GetFunction("down")!.Invoke(Value.I64(5000))[0].AsI64());
    }

    [Theory]
    [InlineData(256 * 1024)]
    [InlineData(1024 * 1024)]
    public void UnboundedRecursionTrapsOnASmallThreadStack(int stackBytes)
    {
        var forever = Wat.Instantiate(Recursion).GetFunction("forever")!;
        TrapException? trap = null;
        var thread = new Thread(() => trap = Assert.Throws<TrapException>(() => forever.Invoke(Value.I32(0), Value.I64(0), Value.F64(0))), stackBytes);
        thread.Start();
        thread.Join();
        Assert.Equal(TrapKind.CallStackExhausted, trap?.Kind);
    }

    [Fact]
    public void MaxCallDepthBoundsNesting()
    {
        var instance = Wat.Instantiate(Recursion, new EngineOptions { MaxCallDepth = 100 });
        Assert.Equal(50L, instance.GetFunction("down")!.Invoke(Value.I64(50))[0].AsI64());
        Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<TrapException>(() => instance.GetFunction("down")!.Invoke(Value.I64(500))).Kind);
    }

    [Fact]
    public void InterruptStopsATightLoopFromAnotherThread()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var instance = Wat.Instantiate("(module (func (export \"spin\") (loop $l (br $l))))", store: store);
        var spin = instance.GetFunction("spin")!;
        using var started = new ManualResetEventSlim();
        var interrupter = new Thread(() =>
        {
            started.Wait();
            Thread.Sleep(50);
            store.Interrupt();
        });
        interrupter.Start();
        started.Set();
        var trap = Assert.Throws<TrapException>(() => spin.Invoke());
        interrupter.Join();
        Assert.Equal(TrapKind.Interrupted, trap.Kind);

        // Still interrupted until reset.
        Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(() => spin.Invoke()).Kind);
        store.ResetInterrupt();
        var counter = Wat.Instantiate("(module (func (export \"one\") (result i32) (i32.const 1)))", store: store);
        Assert.Equal(1, counter.GetFunction("one")!.Invoke()[0].AsI32());
    }

    [Fact]
    public void FuelRunsOutInALoop()
    {
        var engine = new Engine(new EngineOptions { ConsumeFuel = true });
        var store = new Store(engine) { Fuel = 1000 };
        var instance = Wat.Instantiate("""
            (module (func (export "count") (param i32) (result i32)
              (loop $l (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br_if $l (local.get 0)))
              (local.get 0)))
            """, store: store);
        Assert.Equal(0, instance.GetFunction("count")!.Invoke(Value.I32(100))[0].AsI32());
        Assert.True(store.Fuel < 1000 - 100, $"a 100-iteration loop must use at least 100 units, {store.Fuel} left");
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(() => instance.GetFunction("count")!.Invoke(Value.I32(100_000))).Kind);
    }
}
