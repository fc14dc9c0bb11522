using WasmKube.Runtime.Tests.Execution;

namespace WasmKube.Runtime.Tests.Api;

public sealed class MemoryTests
{
    private const string Growable = """
        (module
          (memory (export "memory") 1)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size))
          (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
        """;

    [Fact]
    public void StoreMemoryLimitMakesGrowReturnMinusOne()
    {
        var engine = new Engine();
        var store = new Store(engine) { MemoryLimitBytes = 4 * MemoryType.PageSize };
        var instance = Wat.Instantiate(Growable, store: store);
        var grow = instance.GetFunction("grow")!;

        Assert.Equal(1, grow.Invoke(Value.I32(2))[0].AsI32());
        Assert.Equal(-1, grow.Invoke(Value.I32(2))[0].AsI32());
        Assert.Equal(3, grow.Invoke(Value.I32(1))[0].AsI32());
        Assert.Equal(4, instance.GetFunction("size")!.Invoke()[0].AsI32());
        Assert.Equal(4u, instance.GetMemory("memory")!.MaximumPages);
    }

    [Fact]
    public void GrowthKeepsContentsAndZeroesNewPages()
    {
        var instance = Wat.Instantiate(Growable);
        var memory = instance.GetMemory("memory")!;
        instance.GetFunction("store")!.Invoke(Value.I32(100), Value.I32(0x12345678));
        Assert.Equal(1, memory.Grow(3));
        Assert.Equal(4u * MemoryType.PageSize, (ulong)memory.Length);
        Assert.Equal(0x12345678, instance.GetFunction("load")!.Invoke(Value.I32(100))[0].AsI32());

        // Compiled code sees the new size: the last word of the grown memory is in bounds and zero.
        Assert.Equal(0, instance.GetFunction("load")!.Invoke(Value.I32((4 * MemoryType.PageSize) - 4))[0].AsI32());
        Assert.Equal(0x78, memory.Span[100]);
    }

    [Fact]
    public void AccessesPastTheEndTrapEvenWithLargeOffsets()
    {
        var instance = Wat.Instantiate("""
            (module (memory 1)
              (func (export "far") (param i32) (result i32) (i32.load offset=0xFFFFFFFF (local.get 0))))
            """);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("far")!.Invoke(Value.I32(1)));
        Assert.Equal(TrapKind.MemoryOutOfBounds, trap.Kind);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction("far")!.Invoke(Value.I32(-1))).Kind);
    }

    [Fact]
    public void HostAccessIsBoundsChecked()
    {
        var memory = new Memory(new Store(new Engine()), new MemoryType(new Limits(1, 2)));
        Assert.Equal(16, memory.GetSpan(MemoryType.PageSize - 16, 16).Length);
        Assert.Throws<TrapException>(() => memory.GetSpan(MemoryType.PageSize - 15, 16).Length);
        Assert.Equal(-1, memory.Grow(2));
        Assert.Equal(1, memory.Grow(1));
        Assert.Equal(2u, memory.Pages);
    }

    [Fact]
    public void DisposedMemoryTrapsInsteadOfTouchingFreedBytes()
    {
        var instance = Wat.Instantiate(Growable);
        var memory = instance.GetMemory("memory")!;
        instance.GetFunction("store")!.Invoke(Value.I32(0), Value.I32(1));
        memory.Dispose();

        Assert.Equal(0, memory.Length);
        Assert.Equal(-1, memory.Grow(1));
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction("load")!.Invoke(Value.I32(0))).Kind);
    }
}
