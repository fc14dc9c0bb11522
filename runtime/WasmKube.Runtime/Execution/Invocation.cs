using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// Calls from the embedder into functions: argument/result marshalling through a per-signature stub, the outermost
/// call's stack limit and call depth, and the wasm backtrace of a trap.
/// </summary>
internal static class Invocation
{
    private delegate void Invoker(Delegate function, Value[] arguments, Value[] results);

    private static readonly ConcurrentDictionary<FunctionType, Invoker> Invokers = new();

    public static void Run(Func function, Value[] arguments, Value[] results)
    {
        var store = function.Store;
        var invoker = Invokers.GetOrAdd(function.Type, BuildInvoker);
        var outermost = store.ActiveInvocations == 0;
        var depthLeft = store.CallDepthLeft;
        if (outermost)
        {
            store.CallDepthLeft = store.Engine.Options.MaxCallDepth;
            store.StackLimit = StackGuard.LimitForCurrentThread();
        }

        store.ActiveInvocations++;
        try
        {
            invoker(function.Invoker, arguments, results);
        }
        catch (TrapException trap) when (outermost && trap.Frames.Count == 0)
        {
            trap.Frames = Backtrace(trap);
            throw;
        }
        finally
        {
            // Compiled code holds raw memory pointers; keep the instance (and so its memories) reachable until the
            // call returns, since a function may stop using its context argument long before it finishes.
            GC.KeepAlive(function);
            store.ActiveInvocations--;
            store.CallDepthLeft = depthLeft;
        }
    }

    private static Invoker BuildInvoker(FunctionType type)
    {
        if (!ClrTypes.FitsDelegate(type)) return static (function, arguments, results) => ((WideInvoker)function)(arguments, results);

        var delegateType = ClrTypes.DelegateType(type);
        var method = new DynamicMethod("invoke", typeof(void), [typeof(Delegate), typeof(Value[]), typeof(Value[])], typeof(Invocation).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, delegateType);
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelema, typeof(Value));
            il.Emit(OpCodes.Call, ClrTypes.ValueReader(type.Parameters[i]));
        }

        il.Emit(OpCodes.Callvirt, delegateType.GetMethod("Invoke")!);
        ClrTypes.EmitStoreResults(il, type.Results, static il => il.Emit(OpCodes.Ldarg_2));
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Invoker>();
    }

    /// <summary>The wasm frames of the trap's .NET stack trace, innermost first.</summary>
    private static List<TrapFrame> Backtrace(TrapException trap)
    {
        var frames = new List<TrapFrame>();
        foreach (var frame in new StackTrace(trap, false).GetFrames())
        {
            if (frame.GetMethod() is not MethodInfo method || method.DeclaringType is not { } type) continue;
            if (Compilation.CompiledCode.ModuleOf(type.Assembly) is not { } module) continue;
            if (!Compilation.CompiledCode.TryParseFunctionIndex(method.Name, out var index)) continue;
            var offset = frames.Count == 0 && trap.TrapFunction == (int)index && trap.TrapOffset >= 0
                ? trap.TrapOffset
                : module.ModuleOffsetAt(index, frame.GetILOffset());
            frames.Add(new TrapFrame(module.Name, index, module.FunctionName(index), offset));
        }

        if (frames.Count == 0 && trap.TrapFunction >= 0)
        {
            frames.Add(new TrapFrame(null, (uint)trap.TrapFunction, null, trap.TrapOffset >= 0 ? trap.TrapOffset : null));
        }

        return frames;
    }
}
