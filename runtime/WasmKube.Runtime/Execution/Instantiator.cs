using System.Runtime.Intrinsics;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Model;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// Module instantiation (spec §4.5.4, WebAssembly 2.0): check imports, allocate functions, tables, memories and
/// globals, evaluate element segments, run active element then data segments in order (the first one out of
/// bounds traps, earlier writes stay), drop active and declarative segments, then run the start function.
/// </summary>
internal static class Instantiator
{
    public static Instance Instantiate(Store store, Module module, object[] imports)
    {
        var definition = module.Definition;
        var info = module.Info;
        var context = new InstanceContext(store, module);
        var instance = new Instance(module, store, context);
        context.Instance = instance;

        var functions = new List<Func>();
        var importInvokers = new List<Delegate>();
        var tables = new List<Table>();
        var memories = new List<Memory>();
        var globals = new List<Global>();
        for (var i = 0; i < imports.Length; i++)
        {
            var import = definition.Imports[i];
            var item = imports[i];
            switch (import.Descriptor)
            {
                case FunctionImport f when item is Func func && func.Type.Equals(definition.Types[(int)f.TypeIndex]):
                    functions.Add(func);
                    importInvokers.Add(func.InvokerFor(store, instance));
                    break;
                case TableImport t when item is Table table && table.Type.ElementType == t.Type.ElementType
                    && LimitsMatch(table.Size, table.Type.Limits.Maximum, t.Type.Limits):
                    tables.Add(table);
                    break;
                case MemoryImport m when item is Memory memory && LimitsMatch(memory.Pages, memory.Type.Limits.Maximum, m.Type.Limits):
                    memories.Add(memory);
                    break;
                case GlobalImport g when item is Global global && global.Type == g.Type:
                    globals.Add(global);
                    break;
                default:
                    throw new LinkException("incompatible import type", import.Module, import.Name);
            }
        }

        context.TypeIds = [.. definition.Types.Select(TypeRegistry.IdOf)];
        // Defined functions get their Func when first needed (export, element, ref.func): creating delegates for
        // thousands of functions up front would dominate instantiation.
        context.Functions = [.. functions, .. new Func[definition.Bodies.Length]];
        context.ImportInvokers = [.. importInvokers];
        context.Globals = [.. globals];

        // Globals first: table, element and data initializers may read them (imported ones in 2.0).
        foreach (var global in definition.Globals)
        {
            globals.Add(new Global(store, global.Type, Evaluate(global.Initializer, context, global.Type.ValueType)));
            context.Globals = [.. globals];
        }

        foreach (var table in definition.Tables) tables.Add(new Table(store, table, Value.Default(table.ElementType)));
        foreach (var memory in definition.Memories) memories.Add(new Memory(store, memory));
        context.Tables = [.. tables];
        context.Memory = memories.Count > 0 ? memories[0] : null;
        context.Data = [.. definition.Data.Select(d => d.Bytes)];
        context.Elements = [.. definition.Elements.Select(e => e.Initializers.Select(x => Evaluate(x, context, e.Type).Reference).ToArray())];

        foreach (var export in definition.Exports)
        {
            instance.AddExport(export.Name, export.Kind switch
            {
                ExternKind.Function => context.GetFunction(export.Index),
                ExternKind.Table => context.Tables[export.Index],
                ExternKind.Memory => memories[(int)export.Index],
                _ => context.Globals[export.Index],
            });
        }

        for (var i = 0; i < definition.Elements.Length; i++)
        {
            var segment = definition.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                var offset = Evaluate(segment.Offset!, context, ValueType.I32).AsI32();
                InstanceOps.TableInit(context, (int)segment.TableIndex, i, offset, 0, context.Elements[i].Length);
            }

            if (segment.Mode != SegmentMode.Passive) InstanceOps.ElemDrop(context, i);
        }

        for (var i = 0; i < definition.Data.Length; i++)
        {
            var segment = definition.Data[i];
            if (segment.Mode != SegmentMode.Active) continue;
            var offset = Evaluate(segment.Offset!, context, ValueType.I32).AsI32();
            InstanceOps.MemoryInit(context, i, offset, 0, segment.Bytes.Length);
            InstanceOps.DataDrop(context, i);
        }

        if (definition.StartFunction is { } start) context.GetFunction(start).Invoke();
        return instance;
    }

    /// <summary>Limits subtyping for imports (spec §4.5.2.1): at least as large, and a maximum at least as tight.</summary>
    private static bool LimitsMatch(uint actualMinimum, uint? actualMaximum, Limits expected) =>
        actualMinimum >= expected.Minimum
        && (expected.Maximum is not { } max || (actualMaximum is { } actualMax && actualMax <= max));

    /// <summary>Evaluates a constant expression (spec §3.3.10, plus the extended-const arithmetic).</summary>
    public static Value Evaluate(ConstantExpression expression, InstanceContext context, ValueType type)
    {
        var stack = new Stack<Value>();
        foreach (var instruction in expression.Instructions)
        {
            switch (instruction.Opcode)
            {
                case Opcode.I32Const: stack.Push(Value.I32((int)instruction.Bits)); break;
                case Opcode.I64Const: stack.Push(Value.I64((long)instruction.Bits)); break;
                case Opcode.F32Const: stack.Push(Value.F32Bits((uint)instruction.Bits)); break;
                case Opcode.F64Const: stack.Push(Value.F64Bits(instruction.Bits)); break;
                case Opcode.V128Const: stack.Push(Value.V128(instruction.V128)); break;
                case Opcode.RefNull: stack.Push(Value.Default(instruction.ReferenceType)); break;
                case Opcode.RefFunc: stack.Push(Value.FuncRef(context.GetFunction(instruction.Index))); break;
                case Opcode.GlobalGet: stack.Push(context.Globals[instruction.Index].Value); break;
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul:
                {
                    var b = stack.Pop().AsI32();
                    var a = stack.Pop().AsI32();
                    stack.Push(Value.I32(instruction.Opcode == Opcode.I32Add ? a + b : instruction.Opcode == Opcode.I32Sub ? a - b : a * b));
                    break;
                }

                case Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul:
                {
                    var b = stack.Pop().AsI64();
                    var a = stack.Pop().AsI64();
                    stack.Push(Value.I64(instruction.Opcode == Opcode.I64Add ? a + b : instruction.Opcode == Opcode.I64Sub ? a - b : a * b));
                    break;
                }

                case Opcode.End:
                    break;
                default:
                    throw new InvalidModuleException("constant expression required", $"offset {expression.Offset}");
            }
        }

        return stack.Count == 1 ? stack.Pop() : Value.Default(type);
    }
}
