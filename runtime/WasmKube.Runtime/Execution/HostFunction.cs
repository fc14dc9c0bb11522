using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// A host function body and the stub that lets compiled code call it through the signature's delegate type.
/// Typed bodies are called by the stub directly (no boxing); untyped ones through <see cref="Value"/> arrays.
/// The stub turns host exceptions into <see cref="TrapKind.HostError"/> traps, except traps and exits.
/// </summary>
internal sealed class HostFunction
{
    private static readonly ConcurrentDictionary<(Type Delegate, bool TakesCaller), DynamicMethod> TypedStubs = new();
    private static readonly ConcurrentDictionary<FunctionType, DynamicMethod> UntypedStubs = new();

    // Null for untyped functions past 16 parameters, which are called as a WideInvoker.
    private readonly DynamicMethod? _stub;

    private HostFunction(FunctionType type, Delegate body, bool takesCaller, DynamicMethod? stub)
    {
        Type = type;
        Body = body;
        TakesCaller = takesCaller;
        _stub = stub;
    }

    public FunctionType Type { get; }

    /// <summary>The user's delegate, or the <see cref="HostFunctionCallback"/>.</summary>
    public Delegate Body { get; }

    public bool TakesCaller { get; }

    public static HostFunction Untyped(FunctionType type, HostFunctionCallback callback)
    {
        return new HostFunction(type, callback, true, ClrTypes.FitsDelegate(type) ? UntypedStubs.GetOrAdd(type, BuildUntypedStub) : null);
    }

    public static HostFunction Typed(Delegate function)
    {
        var invoke = function.GetType().GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => p.ParameterType).ToList();
        var takesCaller = parameters.Count > 0 && parameters[0] == typeof(Caller);
        if (takesCaller) parameters.RemoveAt(0);
        var wasmParameters = new List<ValueType>();
        foreach (var parameter in parameters)
        {
            wasmParameters.Add(ClrTypes.ToValueType(parameter) ?? throw new ArgumentException(
                $"host function parameter type {parameter} has no wasm equivalent; use int, long, float, double, Vector128<byte>, Func or object", nameof(function)));
        }

        var results = ClrTypes.ResultsOf(invoke.ReturnType) ?? throw new ArgumentException(
            $"host function return type {invoke.ReturnType} has no wasm equivalent; return void, int, long, float, double, Vector128<byte>, Func, object or a ValueTuple of them", nameof(function));
        var type = new FunctionType(wasmParameters, results);
        if (!ClrTypes.FitsDelegate(type))
        {
            throw new ArgumentException($"host functions of more than {ClrTypes.MaxParameters} parameters are not supported", nameof(function));
        }

        return new HostFunction(type, function, takesCaller, TypedStubs.GetOrAdd((function.GetType(), takesCaller), key => BuildTypedStub(key.Delegate, key.TakesCaller, type)));
    }

    /// <summary>A delegate of the signature's type that runs this body with <paramref name="caller"/> as the calling instance.</summary>
    public Delegate CreateInvoker(Store store, Instance? caller)
    {
        var site = new HostCallSite(this, store, caller);
        return _stub is null ? new WideInvoker(site.InvokeUntyped) : _stub.CreateDelegate(ClrTypes.DelegateType(Type), site);
    }

    private static DynamicMethod NewStub(string name, FunctionType type)
    {
        var parameters = new List<Type> { typeof(HostCallSite) };
        parameters.AddRange(type.Parameters.Select(ClrTypes.Of));
        return new DynamicMethod(name, ClrTypes.ReturnType(type.Results), [.. parameters], typeof(HostFunction).Module, skipVisibility: true);
    }

    private static DynamicMethod BuildTypedStub(Type delegateType, bool takesCaller, FunctionType type)
    {
        var stub = NewStub("host_typed", type);
        var il = stub.GetILGenerator();
        var returnType = ClrTypes.ReturnType(type.Results);
        var result = returnType == typeof(void) ? null : il.DeclareLocal(returnType);
        il.BeginExceptionBlock();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, typeof(HostCallSite).GetField(nameof(HostCallSite.Body))!);
        il.Emit(OpCodes.Castclass, delegateType);
        if (takesCaller)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, typeof(HostCallSite).GetMethod(nameof(HostCallSite.MakeCaller))!);
        }

        for (var i = 0; i < type.Parameters.Length; i++) il.Emit(OpCodes.Ldarg, i + 1);
        il.Emit(OpCodes.Callvirt, delegateType.GetMethod("Invoke")!);
        if (result is not null) il.Emit(OpCodes.Stloc, result);
        EmitCatches(il);
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
        return stub;
    }

    private static void EmitCatches(ILGenerator il)
    {
        il.BeginCatchBlock(typeof(TrapException));
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Rethrow);
        il.BeginCatchBlock(typeof(ExitException));
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Rethrow);
        il.BeginCatchBlock(typeof(Exception));
        il.Emit(OpCodes.Call, typeof(Traps).GetMethod(nameof(Traps.HostError))!);
        il.Emit(OpCodes.Throw);
        il.EndExceptionBlock();
    }

    private static DynamicMethod BuildUntypedStub(FunctionType type)
    {
        var stub = NewStub("host_untyped", type);
        var il = stub.GetILGenerator();
        var arguments = il.DeclareLocal(typeof(Value[]));
        var results = il.DeclareLocal(typeof(Value[]));
        il.Emit(OpCodes.Ldc_I4, type.Parameters.Length);
        il.Emit(OpCodes.Newarr, typeof(Value));
        il.Emit(OpCodes.Stloc, arguments);
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, arguments);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg, i + 1);
            il.Emit(OpCodes.Call, ClrTypes.ValueFactory(type.Parameters[i]));
            il.Emit(OpCodes.Stelem, typeof(Value));
        }

        il.Emit(OpCodes.Ldc_I4, type.Results.Length);
        il.Emit(OpCodes.Newarr, typeof(Value));
        il.Emit(OpCodes.Stloc, results);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, arguments);
        il.Emit(OpCodes.Ldloc, results);
        il.Emit(OpCodes.Call, typeof(HostCallSite).GetMethod(nameof(HostCallSite.InvokeUntyped))!);
        for (var i = 0; i < type.Results.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, results);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelema, typeof(Value));
            il.Emit(OpCodes.Call, ClrTypes.ValueReader(type.Results[i]));
        }

        var returnType = ClrTypes.ReturnType(type.Results);
        if (type.Results.Length > 1) ClrTypes.EmitPack(il, returnType);
        il.Emit(OpCodes.Ret);
        return stub;
    }
}

/// <summary>The target a host stub delegate is closed over: the body and the instance that imported it.</summary>
internal sealed class HostCallSite(HostFunction function, Store store, Instance? caller)
{
    public readonly Delegate Body = function.Body;
    public readonly HostFunction Function = function;
    public readonly Store Store = store;
    public readonly Instance? CallerInstance = caller;

    public Caller MakeCaller() => new(Store, CallerInstance);

    public void InvokeUntyped(Value[] arguments, Value[] results)
    {
        try
        {
            ((HostFunctionCallback)Body)(MakeCaller(), arguments, results);
        }
        catch (Exception e) when (e is not TrapException and not ExitException)
        {
            throw Traps.HostError(e);
        }

        var expected = Function.Type.Results;
        for (var i = 0; i < expected.Length; i++)
        {
            if (results[i].Type != expected[i])
            {
                throw Traps.HostError(new InvalidOperationException(
                    $"host function result {i} is {results[i].Type} but its signature {Function.Type} declares {expected[i]}"));
            }
        }
    }
}
