using System.Reflection.Emit;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Execution;

namespace WasmKube.Runtime.Compilation;

/// <summary>Control instructions (spec §3.3.8, §4.4.8) and calls.</summary>
internal sealed partial class FunctionCompiler
{
    private void EmitBlock(in Instruction instruction)
    {
        if (_unreachable)
        {
            _deadBlocks++;
            return;
        }

        var (parameters, results) = BlockSignature(instruction.BlockType);
        if (instruction.Opcode == Opcode.If) Pop();
        var height = _stack.Count - parameters.Length;
        switch (instruction.Opcode)
        {
            case Opcode.Block:
                _frames.Add(new Frame(Opcode.Block, parameters, results, height, _il.DefineLabel(), NewLocals(results)));
                break;
            case Opcode.Loop:
            {
                var frame = new Frame(Opcode.Loop, parameters, results, height, _il.DefineLabel(), NewLocals(parameters));
                StoreTop(frame.BranchLocals);
                if (_loopsBranchedTo.Contains(instruction.Offset))
                {
                    MarkBranchTarget(frame.Label);
                    EmitInterruptCheck(instruction.Offset, height);
                }

                LoadAll(frame.BranchLocals);
                _frames.Add(frame);
                break;
            }

            default:
            {
                var frame = new Frame(Opcode.If, parameters, results, height, _il.DefineLabel(), NewLocals(results))
                {
                    ElseLabel = _il.DefineLabel(),
                    ParameterLocals = NewLocals(parameters),
                };
                if (parameters.Length > 0)
                {
                    var condition = Rent(typeof(int));
                    _il.Emit(OpCodes.Stloc, condition);
                    StoreTop(frame.ParameterLocals);
                    _il.Emit(OpCodes.Ldloc, condition);
                    Return(condition);
                }

                _il.Emit(OpCodes.Brfalse, frame.ElseLabel);
                LoadAll(frame.ParameterLocals);
                _frames.Add(frame);
                break;
            }
        }
    }

    private void EmitElse()
    {
        if (_deadBlocks > 0) return;
        var frame = _frames[^1];
        if (!_unreachable)
        {
            StoreTop(frame.BranchLocals);
            _il.Emit(OpCodes.Br, frame.Label);
            frame.Branched = true;
        }

        frame.HasElse = true;
        MarkBranchTarget(frame.ElseLabel);
        LoadAll(frame.ParameterLocals);
        ResetStack(frame, frame.Parameters);
        _unreachable = false;
    }

    private void EmitEnd()
    {
        if (_deadBlocks > 0)
        {
            _deadBlocks--;
            return;
        }

        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        var reachable = !_unreachable;
        if (frame.Kind == Opcode.Loop)
        {
            // Branches went to the head; the end is reached only by falling through.
        }
        else if (frame.Kind == Opcode.If && !frame.HasElse)
        {
            // The missing else passes the parameters through as results (valid only when they are equal).
            if (reachable)
            {
                StoreTop(frame.BranchLocals);
                _il.Emit(OpCodes.Br, frame.Label);
            }

            MarkBranchTarget(frame.ElseLabel);
            LoadAll(frame.ParameterLocals);
            StoreTop(frame.BranchLocals);
            MarkBranchTarget(frame.Label);
            LoadAll(frame.BranchLocals);
            reachable = true;
        }
        else if (frame.Branched)
        {
            if (reachable) StoreTop(frame.BranchLocals);
            MarkBranchTarget(frame.Label);
            LoadAll(frame.BranchLocals);
            reachable = true;
        }

        ReturnAll(frame.BranchLocals);
        ReturnAll(frame.ParameterLocals);
        if (_frames.Count == 0)
        {
            if (reachable) EmitReturnSequence();
            return;
        }

        ResetStack(frame, frame.Results);
        _unreachable = !reachable;
    }

    private void ResetStack(Frame frame, System.Collections.Immutable.ImmutableArray<ValueType> top)
    {
        _stack.RemoveRange(frame.Height, _stack.Count - frame.Height);
        PushAll(top);
    }

    /// <summary>The function's results are on the IL stack: give back the call depth and return them.</summary>
    private void EmitReturnSequence()
    {
        var results = _type.Results;
        if (results.Length > 0)
        {
            var locals = _frames.Count == 0 ? null : _frames[0].BranchLocals;
            var temps = locals ?? NewLocals(results);
            StoreTop(temps);
            EmitEpilogue();
            LoadAll(temps);
            if (results.Length > 1) ClrTypes.EmitPack(_il, ClrTypes.ReturnType(results));
        }
        else
        {
            EmitEpilogue();
        }

        _il.Emit(OpCodes.Ret);
    }

    /// <summary>Branches to the frame <paramref name="depth"/> levels out, carrying its values and dropping the operands under them.</summary>
    private void EmitBranch(uint depth)
    {
        var target = _frames[_frames.Count - 1 - (int)depth];
        var carried = target.BranchLocals.Length;
        var extras = _stack.Count - carried - target.Height;
        if (target == _frames[0] && extras == 0)
        {
            EmitReturnSequence();
            return;
        }

        StoreTop(target.BranchLocals);
        for (var i = 0; i < extras; i++) _il.Emit(OpCodes.Pop);
        if (target == _frames[0])
        {
            LoadAll(target.BranchLocals);
            EmitReturnSequence();
            return;
        }

        _il.Emit(OpCodes.Br, target.Label);
        target.Branched = true;
    }

    /// <summary>True when a branch to the frame needs no IL beyond the jump itself.</summary>
    private bool IsPlainBranch(uint depth)
    {
        var target = _frames[_frames.Count - 1 - (int)depth];
        return target != _frames[0] && target.BranchLocals.Length == 0 && _stack.Count == target.Height;
    }

    private void EmitBr(uint depth)
    {
        EmitBranch(depth);
        _unreachable = true;
    }

    private void EmitBrIf(uint depth)
    {
        Pop();
        if (IsPlainBranch(depth))
        {
            var target = _frames[_frames.Count - 1 - (int)depth];
            _il.Emit(OpCodes.Brtrue, target.Label);
            target.Branched = true;
            return;
        }

        var skip = _il.DefineLabel();
        _il.Emit(OpCodes.Brfalse, skip);
        EmitBranch(depth);
        MarkBranchTarget(skip);
    }

    private void EmitBrTable(ref InstructionReader reader, in Instruction instruction)
    {
        Pop();
        var depths = new List<uint>();
        foreach (var depth in reader.GetBranchTargets(instruction)) depths.Add(depth);
        var defaultDepth = instruction.SecondIndex;
        var trampolines = new Dictionary<uint, Label>();
        Label LabelFor(uint depth)
        {
            if (IsPlainBranch(depth))
            {
                var target = _frames[_frames.Count - 1 - (int)depth];
                target.Branched = true;
                return target.Label;
            }

            if (!trampolines.TryGetValue(depth, out var label)) trampolines[depth] = label = _il.DefineLabel();
            return label;
        }

        var labels = depths.Select(LabelFor).ToArray();
        var defaultLabel = LabelFor(defaultDepth);
        if (labels.Length > 0) _il.Emit(OpCodes.Switch, labels);
        else _il.Emit(OpCodes.Pop);
        _il.Emit(OpCodes.Br, defaultLabel);
        foreach (var (depth, label) in trampolines)
        {
            MarkBranchTarget(label);
            EmitBranch(depth);
        }

        _unreachable = true;
    }

    private void EmitCall(uint functionIndex)
    {
        var type = _module.FunctionTypes[(int)functionIndex];
        if (functionIndex < _module.ImportedFunctionCount)
        {
            var delegateType = ClrTypes.DelegateType(type);
            var arguments = SpillArguments(type);
            LoadContext();
            _il.Emit(OpCodes.Ldfld, ContextImports);
            _il.Emit(OpCodes.Ldc_I4, (int)functionIndex);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Castclass, delegateType);
            EmitDelegateCall(type, delegateType, arguments);
        }
        else
        {
            LoadContext();
            _il.Emit(OpCodes.Call, _module.Methods[functionIndex - _module.ImportedFunctionCount]);
            if (type.Results.Length > 1)
            {
                var tupleType = ClrTypes.ReturnType(type.Results);
                var tuple = Rent(tupleType);
                ClrTypes.EmitUnpack(_il, tupleType, tuple);
                Return(tuple);
            }
        }

        AfterCall(type);
    }

    private void EmitCallIndirect(in Instruction instruction)
    {
        var type = _module.Definition.Types[(int)instruction.Index];
        var delegateType = ClrTypes.DelegateType(type);
        Pop();
        var index = Rent(typeof(int));
        _il.Emit(OpCodes.Stloc, index);
        var arguments = SpillArguments(type);
        LoadContext();
        _il.Emit(OpCodes.Ldfld, ContextTables);
        _il.Emit(OpCodes.Ldc_I4, (int)instruction.SecondIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
        _il.Emit(OpCodes.Ldloc, index);
        LoadContext();
        _il.Emit(OpCodes.Ldfld, ContextTypeIds);
        _il.Emit(OpCodes.Ldc_I4, (int)instruction.Index);
        _il.Emit(OpCodes.Ldelem_I4);
        _il.Emit(OpCodes.Call, typeof(InstanceOps).GetMethod(nameof(InstanceOps.ResolveIndirect))!);
        _il.Emit(OpCodes.Castclass, delegateType);
        Return(index);
        EmitDelegateCall(type, delegateType, arguments);
        AfterCall(type);
    }

    /// <summary>The delegate is on the stack, the arguments in temporaries: call it, leaving the results on the stack.</summary>
    private void EmitDelegateCall(FunctionType type, Type delegateType, LocalBuilder[] arguments)
    {
        if (delegateType != typeof(WideInvoker))
        {
            LoadAll(arguments);
            ReturnAll(arguments);
            _il.Emit(OpCodes.Callvirt, delegateType.GetMethod("Invoke")!);
            if (type.Results.Length > 1)
            {
                var tupleType = ClrTypes.ReturnType(type.Results);
                var tuple = Rent(tupleType);
                ClrTypes.EmitUnpack(_il, tupleType, tuple);
                Return(tuple);
            }

            return;
        }

        var values = Rent(typeof(Value[]));
        _il.Emit(OpCodes.Ldc_I4, arguments.Length);
        _il.Emit(OpCodes.Newarr, typeof(Value));
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, values);
        for (var i = 0; i < arguments.Length; i++)
        {
            _il.Emit(OpCodes.Ldloc, values);
            _il.Emit(OpCodes.Ldc_I4, i);
            _il.Emit(OpCodes.Ldloc, arguments[i]);
            _il.Emit(OpCodes.Call, ClrTypes.ValueFactory(type.Parameters[i]));
            _il.Emit(OpCodes.Stelem, typeof(Value));
        }

        ReturnAll(arguments);
        _il.Emit(OpCodes.Ldc_I4, type.Results.Length);
        _il.Emit(OpCodes.Newarr, typeof(Value));
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, values);
        _il.Emit(OpCodes.Callvirt, typeof(WideInvoker).GetMethod("Invoke")!);
        for (var i = 0; i < type.Results.Length; i++)
        {
            _il.Emit(OpCodes.Ldloc, values);
            _il.Emit(OpCodes.Ldc_I4, i);
            _il.Emit(OpCodes.Ldelema, typeof(Value));
            _il.Emit(OpCodes.Call, ClrTypes.ValueReader(type.Results[i]));
        }

        Return(values);
    }

    /// <summary>Moves a call's arguments from the stack to temporaries so the delegate can go under them.</summary>
    private LocalBuilder[] SpillArguments(FunctionType type)
    {
        var arguments = NewLocals(type.Parameters);
        StoreTop(arguments);
        return arguments;
    }

    private void AfterCall(FunctionType type)
    {
        Pop(type.Parameters.Length);
        PushAll(type.Results);
        ReloadMemory();
    }
}
