using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// Instructions compiled to a call because they touch tables, segments or whole memory ranges: call_indirect's
/// lookup, table.*, memory.size/grow and the bulk memory instructions (spec §4.4.5–4.4.7). Bounds are checked before
/// anything is written, as the 2.0 spec requires.
/// </summary>
internal static class InstanceOps
{
    /// <summary>call_indirect: the callee's delegate, after the table bounds, null and signature checks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Delegate ResolveIndirect(Table table, int index, int typeId)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length) Traps.Throw(TrapKind.UndefinedElement);
        if (elements[index] is not Func function) throw Traps.Create(TrapKind.UninitializedElement);
        if (function.TypeId != typeId) Traps.Throw(TrapKind.IndirectCallTypeMismatch);
        return function.Invoker;
    }

    public static int MemorySize(Memory memory) => (int)memory.Pages;

    public static int MemoryGrow(Memory memory, int delta) => memory.Grow((uint)delta);

    public static unsafe void MemoryFill(Memory memory, int destination, int value, int count)
    {
        CheckRange(memory, destination, count);
        NativeMemory.Fill(memory.BasePointer + (uint)destination, (uint)count, (byte)value);
    }

    public static unsafe void MemoryCopy(Memory destinationMemory, Memory sourceMemory, int destination, int source, int count)
    {
        CheckRange(destinationMemory, destination, count);
        CheckRange(sourceMemory, source, count);
        Buffer.MemoryCopy(sourceMemory.BasePointer + (uint)source, destinationMemory.BasePointer + (uint)destination, (uint)count, (uint)count);
    }

    public static unsafe void MemoryInit(InstanceContext context, int segment, int destination, int source, int count)
    {
        var memory = context.Memory!;
        var data = context.Data[segment].Span;
        CheckRange(memory, destination, count);
        if ((ulong)(uint)source + (uint)count > (ulong)data.Length) Traps.Throw(TrapKind.MemoryOutOfBounds);
        data.Slice((int)(uint)source, (int)(uint)count).CopyTo(new Span<byte>(memory.BasePointer + (uint)destination, (int)(uint)count));
    }

    public static void DataDrop(InstanceContext context, int segment) => context.Data[segment] = ReadOnlyMemory<byte>.Empty;

    public static void ElemDrop(InstanceContext context, int segment) => context.Elements[segment] = [];

    public static object? TableGet(Table table, int index)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length) Traps.Throw(TrapKind.TableOutOfBounds);
        return elements[index];
    }

    public static void TableSet(Table table, int index, object? value)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length) Traps.Throw(TrapKind.TableOutOfBounds);
        elements[index] = value;
    }

    public static int TableSize(Table table) => table.Elements.Length;

    public static int TableGrow(Table table, object? initial, int delta) => table.Grow((uint)delta, initial);

    public static void TableFill(Table table, int start, object? value, int count)
    {
        var elements = table.Elements;
        if ((ulong)(uint)start + (uint)count > (ulong)elements.Length) Traps.Throw(TrapKind.TableOutOfBounds);
        Array.Fill(elements, value, start, count);
    }

    public static void TableCopy(Table destinationTable, Table sourceTable, int destination, int source, int count)
    {
        if ((ulong)(uint)destination + (uint)count > (ulong)destinationTable.Elements.Length
            || (ulong)(uint)source + (uint)count > (ulong)sourceTable.Elements.Length)
        {
            Traps.Throw(TrapKind.TableOutOfBounds);
        }

        Array.Copy(sourceTable.Elements, source, destinationTable.Elements, destination, count);
    }

    public static void TableInit(InstanceContext context, int tableIndex, int segment, int destination, int source, int count)
    {
        var table = context.Tables[tableIndex];
        var elements = context.Elements[segment];
        if ((ulong)(uint)destination + (uint)count > (ulong)table.Elements.Length
            || (ulong)(uint)source + (uint)count > (ulong)elements.Length)
        {
            Traps.Throw(TrapKind.TableOutOfBounds);
        }

        Array.Copy(elements, source, table.Elements, destination, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ConsumeFuel(Store store)
    {
        if (--store.FuelLeft < 0) Traps.Throw(TrapKind.OutOfFuel);
    }

    private static void CheckRange(Memory memory, int start, int count)
    {
        if ((ulong)(uint)start + (uint)count > memory.ByteLength) Traps.Throw(TrapKind.MemoryOutOfBounds);
    }
}
