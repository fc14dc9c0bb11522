using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Execution;
using WasmKube.Runtime.Model;

namespace WasmKube.Runtime.Compilation;

/// <summary>
/// Translates one function body to CIL in a single pass. The wasm operand stack is the IL evaluation stack; wasm
/// locals are IL locals and parameters IL arguments, followed by the <see cref="InstanceContext"/> as the last
/// argument (so a direct call only pushes it after the operands). Values a branch carries travel in per-label IL
/// locals because a branch must drop the operands under them: at every label the IL stack holds exactly the
/// operands below the block, and the carried values are reloaded from the locals. Traps branch to cold stubs at the
/// end of the method that throw with the instruction's module offset. Memory base and length live in IL locals and
/// are reloaded after calls and memory.grow.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private static readonly FieldInfo ContextStore = Field<InstanceContext>(nameof(InstanceContext.Store));
    private static readonly FieldInfo ContextMemory = Field<InstanceContext>(nameof(InstanceContext.Memory));
    private static readonly FieldInfo ContextGlobals = Field<InstanceContext>(nameof(InstanceContext.Globals));
    private static readonly FieldInfo ContextTables = Field<InstanceContext>(nameof(InstanceContext.Tables));
    private static readonly FieldInfo ContextImports = Field<InstanceContext>(nameof(InstanceContext.ImportInvokers));
    private static readonly FieldInfo ContextTypeIds = Field<InstanceContext>(nameof(InstanceContext.TypeIds));
    private static readonly FieldInfo MemoryBase = Field<Memory>(nameof(Memory.BasePointer));
    private static readonly FieldInfo MemoryLength = Field<Memory>(nameof(Memory.ByteLength));
    private static readonly FieldInfo StoreInterrupt = Field<Store>(nameof(Store.InterruptRequested));
    private static readonly FieldInfo StoreDepth = Field<Store>(nameof(Store.CallDepthLeft));
    private static readonly FieldInfo StoreStackLimit = Field<Store>(nameof(Store.StackLimit));
    private static readonly MethodInfo CreateTrap = typeof(Traps).GetMethod(nameof(Traps.Create), [typeof(int), typeof(int), typeof(int)])!;

    private readonly ModuleInfo _module;
    private readonly uint _functionIndex;
    private readonly FunctionType _type;
    private readonly FunctionBody _body;
    private readonly ILGenerator _il;
    private readonly ValueType[] _localTypes;
    private readonly LocalBuilder?[] _locals;
    private readonly short _contextArgument;
    private readonly List<ValueType> _stack = [];
    private readonly List<Frame> _frames = [];
    private readonly Dictionary<Type, Stack<LocalBuilder>> _freeTemps = [];
    private readonly List<(Label Label, TrapKind Kind, int Offset)> _trapStubs = [];
    private readonly HashSet<int> _loopsBranchedTo = [];
    private readonly Dictionary<TrapKind, Label> _throwBlocks = [];
    private LocalBuilder? _trapOffset;
    private int _currentOffset;
    private long _jitBytes;
    private double _jitSeconds;
    private LocalBuilder _store = null!;
    private LocalBuilder? _memoryBase;
    private LocalBuilder? _memoryLength;
    private Instruction _previous;
    private bool _unreachable;
    private int _deadBlocks;

    public FunctionCompiler(ModuleInfo module, uint functionIndex, MethodBuilder method)
    {
        _module = module;
        _functionIndex = functionIndex;
        _type = module.FunctionTypes[(int)functionIndex];
        _body = module.Definition.Bodies[(int)functionIndex - module.ImportedFunctionCount];
        _il = method.GetILGenerator();
        _contextArgument = (short)_type.Parameters.Length;
        _localTypes = [.. _type.Parameters, .. _body.Locals];
        _locals = new LocalBuilder?[_localTypes.Length];
    }

    /// <summary>Pairs of (IL offset, module offset) at instruction starts, ascending, for backtraces.</summary>
    public List<int> OffsetMap { get; } = [];

    /// <summary>The static method signature of a function: its parameters, then the instance context.</summary>
    public static Type[] ParameterTypes(FunctionType type) => [.. type.Parameters.Select(ClrTypes.Of), typeof(InstanceContext)];

    /// <summary>
    /// Most operands the wasm stack of one function may hold: they live on the IL evaluation stack, whose depth the
    /// CLR caps at 65,535, and the code generator needs a few slots of its own above them.
    /// </summary>
    public const int MaxOperandStack = 60_000;

    /// <summary>Instructions compiled between two looks at the module's compile budget.</summary>
    private const int BudgetCheckInterval = 256;

    public void Compile()
    {
        for (var i = _type.Parameters.Length; i < _localTypes.Length; i++) _locals[i] = _il.DeclareLocal(ClrTypes.Of(_localTypes[i]));
        var accessesMemory = ScanBody();
        EmitPrologue(accessesMemory);
        var functionFrame = new Frame(Opcode.Block, [], _type.Results, 0, _il.DefineLabel(), NewLocals(_type.Results));
        _frames.Add(functionFrame);
        var reader = new InstructionReader(_body.Code.Span, _body.CodeOffset);
        var untilBudgetCheck = BudgetCheckInterval;
        while (!reader.AtEnd && _frames.Count > 0)
        {
            reader.Read(out var instruction);
            if (--untilBudgetCheck == 0)
            {
                untilBudgetCheck = BudgetCheckInterval;
                _module.Budget.Check(_functionIndex, instruction.Offset);
            }

            if (_unreachable && !IsStructural(instruction.Opcode)) continue;
            if (OffsetMap.Count == 0 || OffsetMap[^2] != _il.ILOffset)
            {
                OffsetMap.Add(_il.ILOffset);
                OffsetMap.Add(instruction.Offset);
            }

            _currentOffset = instruction.Offset;
            EmitInstruction(ref reader, instruction);
            _previous = instruction;
        }

        EmitTrapStubs();
        _jitBytes += (long)_il.ILOffset * CompileBudget.JitBytesPerILByte;
        _module.Budget.CheckJitEstimate(_functionIndex, _jitBytes, _jitSeconds);
    }

    /// <summary>
    /// Each trapping site gets a stub that records its module offset and leaves to the one throwing block of its trap
    /// kind. <c>leave</c> empties the IL stack, so sites with different operands below them can share that block:
    /// the JIT's time and memory grow steeply with the number of throw blocks in a method, and a function may have
    /// tens of thousands of trapping sites (loads, divisions, loop heads).
    /// </summary>
    private void EmitTrapStubs()
    {
        foreach (var (label, kind, offset) in _trapStubs)
        {
            var throwBlock = ThrowBlock(kind);
            _il.MarkLabel(label);
            _il.Emit(OpCodes.Ldc_I4, offset);
            _il.Emit(OpCodes.Stloc, TrapOffset);
            _il.Emit(OpCodes.Leave, throwBlock);
        }

        foreach (var (kind, throwBlock) in _throwBlocks)
        {
            _il.MarkLabel(throwBlock);
            _il.Emit(OpCodes.Ldc_I4, (int)kind);
            _il.Emit(OpCodes.Ldc_I4, (int)_functionIndex);
            _il.Emit(OpCodes.Ldloc, TrapOffset);
            _il.Emit(OpCodes.Call, CreateTrap);
            _il.Emit(OpCodes.Throw);
        }
    }

    /// <summary>The local a trapping site records its module offset in before it reaches the throw block.</summary>
    private LocalBuilder TrapOffset => _trapOffset ??= _il.DeclareLocal(typeof(int));

    /// <summary>The block that throws traps of <paramref name="kind"/>, entered with an empty IL stack.</summary>
    private Label ThrowBlock(TrapKind kind)
    {
        if (!_throwBlocks.TryGetValue(kind, out var label)) _throwBlocks[kind] = label = _il.DefineLabel();
        return label;
    }

    private static bool IsStructural(Opcode opcode) => opcode is Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Else or Opcode.End;

    private void EmitPrologue(bool accessesMemory)
    {
        _store = _il.DeclareLocal(typeof(Store));
        LoadContext();
        _il.Emit(OpCodes.Ldfld, ContextStore);
        _il.Emit(OpCodes.Stloc, _store);

        // Stack guard: compare the address of a local (the stack pointer) with the store's limit.
        var marker = _il.DeclareLocal(typeof(byte));
        _il.Emit(OpCodes.Ldloca, marker);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldloc, _store);
        _il.Emit(OpCodes.Ldfld, StoreStackLimit);
        _il.Emit(OpCodes.Blt_Un, TrapLabel(TrapKind.CallStackExhausted, _body.CodeOffset));

        // Call depth: --store.CallDepthLeft < 0 traps; the epilogue gives the unit back.
        _il.Emit(OpCodes.Ldloc, _store);
        _il.Emit(OpCodes.Ldloc, _store);
        _il.Emit(OpCodes.Ldfld, StoreDepth);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stfld, StoreDepth);
        _il.Emit(OpCodes.Ldloc, _store);
        _il.Emit(OpCodes.Ldfld, StoreDepth);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Blt, TrapLabel(TrapKind.CallStackExhausted, _body.CodeOffset));

        EmitInterruptCheck(_body.CodeOffset, 0);
        if (_module.MemoryCount > 0 && accessesMemory)
        {
            _memoryBase = _il.DeclareLocal(typeof(nint));
            _memoryLength = _il.DeclareLocal(typeof(ulong));
            ReloadMemory();
        }
    }

    /// <summary>
    /// Looks ahead over the body: returns whether it loads or stores (only then are the memory base and length kept
    /// in locals), and collects the loops some branch targets. A loop nothing branches back to runs once, like a
    /// block, and needs no interrupt check at its head.
    /// </summary>
    private bool ScanBody()
    {
        var accessesMemory = false;
        var reader = new InstructionReader(_body.Code.Span, _body.CodeOffset);

        // Module offsets of the open blocks, negated for loops; the function's own frame is the bottom entry.
        var open = new List<int> { 0 };
        void Target(uint depth)
        {
            if (depth < open.Count && open[open.Count - 1 - (int)depth] < 0) _loopsBranchedTo.Add(-open[open.Count - 1 - (int)depth]);
        }

        while (!reader.AtEnd)
        {
            reader.Read(out var instruction);
            var op = instruction.Opcode;
            switch (op)
            {
                case Opcode.Block or Opcode.If: open.Add(instruction.Offset); break;
                case Opcode.Loop: open.Add(-instruction.Offset); break;
                case Opcode.End: open.RemoveAt(open.Count - 1); break;
                case Opcode.Br or Opcode.BrIf: Target(instruction.Index); break;
                case Opcode.BrTable:
                    foreach (var depth in reader.GetBranchTargets(instruction)) Target(depth);
                    Target(instruction.SecondIndex);
                    break;
                case >= Opcode.I32Load and <= Opcode.I64Store32:
                case Opcode.V128Store or Opcode.V128Store8Lane or Opcode.V128Store16Lane or Opcode.V128Store32Lane or Opcode.V128Store64Lane:
                    accessesMemory = true;
                    break;
                default:
                    if (((int)op >> 16) == 0xFD && op.ToString().StartsWith("V128Load", StringComparison.Ordinal)) accessesMemory = true;
                    break;
            }

            if (open.Count == 0) break;
        }

        return accessesMemory;
    }

    private void EmitEpilogue()
    {
        _il.Emit(OpCodes.Ldloc, _store);
        _il.Emit(OpCodes.Ldloc, _store);
        _il.Emit(OpCodes.Ldfld, StoreDepth);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stfld, StoreDepth);
    }

    /// <summary>At function entry and loop heads: the interrupt flag and, when metering, one unit of fuel.</summary>
    private void EmitInterruptCheck(int offset, int stackDepth)
    {
        if (stackDepth == 0)
        {
            // Nothing on the IL stack: branch straight to the throw block with the offset already recorded, which
            // spares the JIT a stub block per loop (a constant store per iteration costs next to nothing).
            _il.Emit(OpCodes.Ldc_I4, offset);
            _il.Emit(OpCodes.Stloc, TrapOffset);
        }

        _il.Emit(OpCodes.Ldloc, _store);
        _il.Emit(OpCodes.Volatile);
        _il.Emit(OpCodes.Ldfld, StoreInterrupt);
        if (stackDepth == 0)
        {
            _il.Emit(OpCodes.Brtrue, ThrowBlock(TrapKind.Interrupted));
            CountBlockBoundary();
        }
        else
        {
            _il.Emit(OpCodes.Brtrue, TrapLabel(TrapKind.Interrupted, offset));
        }

        if (_module.Options.ConsumeFuel)
        {
            _il.Emit(OpCodes.Ldloc, _store);
            _il.Emit(OpCodes.Call, typeof(InstanceOps).GetMethod(nameof(InstanceOps.ConsumeFuel))!);
        }
    }

    private void ReloadMemory()
    {
        if (_memoryBase is null) return;
        LoadContext();
        _il.Emit(OpCodes.Ldfld, ContextMemory);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldfld, MemoryBase);
        _il.Emit(OpCodes.Stloc, _memoryBase);
        _il.Emit(OpCodes.Ldfld, MemoryLength);
        _il.Emit(OpCodes.Stloc, _memoryLength!);
    }

    private void LoadContext() => _il.Emit(OpCodes.Ldarg, _contextArgument);

    private Label TrapLabel(TrapKind kind, int offset)
    {
        var label = _il.DefineLabel();
        _trapStubs.Add((label, kind, offset));
        CountBlockBoundary();
        return label;
    }

    /// <summary>Marks a label branches go to.</summary>
    private void MarkBranchTarget(Label label)
    {
        _il.MarkLabel(label);
        CountBlockBoundary();
    }

    /// <summary>At a branch or a branch target the JIT ends a basic block and spills the IL stack into temporaries.</summary>
    private void CountBlockBoundary()
    {
        _jitBytes += CompileBudget.JitBytesPerBranchTarget + (_stack.Count * CompileBudget.JitBytesPerSpilledValue);
        _jitSeconds += CompileBudget.JitSecondsPerBranchTarget + ((double)_stack.Count * _stack.Count * CompileBudget.JitSecondsPerSpilledValueSquared);
    }

    // ---- temporaries ----

    private LocalBuilder Rent(Type type)
    {
        if (_freeTemps.TryGetValue(type, out var free) && free.Count > 0) return free.Pop();
        return _il.DeclareLocal(type);
    }

    private LocalBuilder Rent(ValueType type) => Rent(ClrTypes.Of(type));

    private void Return(LocalBuilder local)
    {
        if (!_freeTemps.TryGetValue(local.LocalType, out var free)) _freeTemps[local.LocalType] = free = new Stack<LocalBuilder>();
        free.Push(local);
    }

    private LocalBuilder[] NewLocals(ImmutableArray<ValueType> types) => [.. types.Select(Rent)];

    private void ReturnAll(LocalBuilder[] locals)
    {
        foreach (var local in locals) Return(local);
    }

    /// <summary>Pops the top <paramref name="locals"/>.Length IL values into them, last on top.</summary>
    private void StoreTop(LocalBuilder[] locals)
    {
        for (var i = locals.Length - 1; i >= 0; i--) _il.Emit(OpCodes.Stloc, locals[i]);
    }

    private void LoadAll(LocalBuilder[] locals)
    {
        foreach (var local in locals) _il.Emit(OpCodes.Ldloc, local);
    }

    // ---- type stack ----

    private void Push(ValueType type)
    {
        if (_stack.Count == MaxOperandStack) OperandStackTooDeep();
        _stack.Add(type);
    }

    private void PushAll(System.Collections.Immutable.ImmutableArray<ValueType> types)
    {
        if (_stack.Count + types.Length > MaxOperandStack) OperandStackTooDeep();
        _stack.AddRange(types);
    }

    private void OperandStackTooDeep() =>
        throw new CompileLimitException("operand stack limit",
            $"the function holds more than {MaxOperandStack:N0} values on its operand stack, the most the engine supports", _functionIndex, _currentOffset);

    private ValueType Pop()
    {
        var type = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return type;
    }

    private void Pop(int count) => _stack.RemoveRange(_stack.Count - count, count);

    private static FieldInfo Field<T>(string name) =>
        typeof(T).GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new InvalidOperationException($"{typeof(T).Name}.{name} not found");

    private (ImmutableArray<ValueType> Params, ImmutableArray<ValueType> Results) BlockSignature(BlockType blockType)
    {
        if (blockType.IsTypeIndex)
        {
            var type = _module.Definition.Types[(int)blockType.TypeIndex];
            return (type.Parameters, type.Results);
        }

        return ([], blockType.Result is { } result ? [result] : []);
    }

    /// <summary>A control frame (spec §3.3.5): where branches to it go and which locals carry their values.</summary>
    private sealed class Frame(Opcode kind, ImmutableArray<ValueType> parameters, ImmutableArray<ValueType> results, int height, Label label, LocalBuilder[] branchLocals)
    {
        public Opcode Kind { get; } = kind;

        public ImmutableArray<ValueType> Parameters { get; } = parameters;

        public ImmutableArray<ValueType> Results { get; } = results;

        /// <summary>Operands below the block.</summary>
        public int Height { get; } = height;

        /// <summary>The branch target: the loop head, or the end of a block, if or the function.</summary>
        public Label Label { get; } = label;

        /// <summary>Values a branch to <see cref="Label"/> carries: a loop's parameters, otherwise the results.</summary>
        public LocalBuilder[] BranchLocals { get; } = branchLocals;

        public ImmutableArray<ValueType> BranchTypes => Kind == Opcode.Loop ? Parameters : Results;

        public bool Branched { get; set; }

        public Label ElseLabel { get; init; }

        public LocalBuilder[] ParameterLocals { get; init; } = [];

        public bool HasElse { get; set; }
    }
}
