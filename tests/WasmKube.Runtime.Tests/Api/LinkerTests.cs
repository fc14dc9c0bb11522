using WasmKube.Runtime.Tests.Execution;

namespace WasmKube.Runtime.Tests.Api;

public sealed class LinkerTests
{
    private const string Counter = """
        (module
          (global $count (mut i32) (i32.const 0))
          (func (export "next") (result i32) (global.set $count (i32.add (global.get $count) (i32.const 1))) (global.get $count)))
        """;

    [Fact]
    public void AModuleInstantiatedTwiceKeepsSeparateState()
    {
        var engine = new Engine();
        var module = Module.FromBytes(engine, Wat.ToWasm(Counter));
        var store = new Store(engine);
        var first = new Linker().Instantiate(store, module);
        var second = new Linker().Instantiate(store, module);
        first.GetFunction("next")!.Invoke();
        first.GetFunction("next")!.Invoke();
        Assert.Equal(3, first.GetFunction("next")!.Invoke()[0].AsI32());
        Assert.Equal(1, second.GetFunction("next")!.Invoke()[0].AsI32());
    }

    [Fact]
    public void MissingImportsAreUnknown()
    {
        var error = Assert.Throws<LinkException>(() => Wat.Instantiate("(module (import \"env\" \"f\" (func)))"));
        Assert.Equal("unknown import", error.Reason);
        Assert.Equal("env", error.Module);
        Assert.Equal("f", error.Name);
    }

    [Fact]
    public void MistypedImportsAreIncompatible()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var linker = new Linker()
            .DefineFunction(store, "env", "f", (Func<int, int>)(x => x))
            .Define("env", "memory", new Memory(store, new MemoryType(new Limits(1, null))))
            .Define("env", "global", new Global(store, new GlobalType(ValueType.I32, false), Value.I32(1)));

        LinkException Link(string import) => Assert.Throws<LinkException>(() =>
            Wat.Instantiate($"(module {import})", linker: linker, store: store));

        Assert.Equal("incompatible import type", Link("(import \"env\" \"f\" (func (param i64) (result i32)))").Reason);
        Assert.Equal("incompatible import type", Link("(import \"env\" \"f\" (memory 1))").Reason);
        Assert.Equal("incompatible import type", Link("(import \"env\" \"memory\" (memory 2))").Reason);
        Assert.Equal("incompatible import type", Link("(import \"env\" \"memory\" (memory 1 5))").Reason);
        Assert.Equal("incompatible import type", Link("(import \"env\" \"global\" (global (mut i32)))").Reason);

        // Limits subtyping accepts a larger minimum and no maximum where none is required.
        Assert.NotNull(Wat.Instantiate("(module (import \"env\" \"memory\" (memory 0)))", linker: linker, store: store));
    }

    [Fact]
    public void RegisteredInstancesShareMemoryTablesAndFunctionIdentity()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var provider = Wat.Instantiate("""
            (module
              (memory (export "memory") 1)
              (table (export "table") 2 funcref)
              (func $seven (export "seven") (result i32) (i32.const 7))
              (elem (i32.const 0) $seven))
            """, store: store);
        var linker = new Linker().DefineInstance("provider", provider);
        var client = Wat.Instantiate("""
            (module
              (import "provider" "memory" (memory 1))
              (import "provider" "table" (table 2 funcref))
              (type $r (func (result i32)))
              (func (export "write") (i32.store8 (i32.const 5) (call_indirect 0 (type $r) (i32.const 0))))
              (func (export "first") (result funcref) (table.get 0 (i32.const 0))))
            """, linker: linker, store: store);

        client.GetFunction("write")!.Invoke();
        Assert.Equal(7, provider.GetMemory("memory")!.Span[5]);
        Assert.Same(provider.GetFunction("seven"), client.GetFunction("first")!.Invoke()[0].AsFuncRef());
    }

    [Fact]
    public void FailingSegmentsTrapAfterEarlierWrites()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var memory = new Memory(store, new MemoryType(new Limits(1, null)));
        var linker = new Linker().Define("env", "memory", memory);
        var trap = Assert.Throws<TrapException>(() => Wat.Instantiate("""
            (module
              (import "env" "memory" (memory 1))
              (data (i32.const 0) "\01\02")
              (data (i32.const 65535) "\03\04"))
            """, linker: linker, store: store));
        Assert.Equal("out of bounds memory access", trap.Kind.Message());
        Assert.Equal(2, memory.Span[1]);
    }
}
