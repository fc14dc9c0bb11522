using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;

namespace WasmKube.Runtime.Execution;

/// <summary>
/// How wasm values and signatures map to CLR types, shared by the compiler and the host/embedder stubs:
/// i32 int, i64 long, f32 float, f64 double, v128 Vector128&lt;byte&gt;, funcref <see cref="Func"/>, externref object.
/// A function returns nothing, its single result, or a ValueTuple of its results (nested through Rest past seven);
/// as a delegate it is a System.Func/Action over its parameters, so every module and the host agree on the type.
/// </summary>
internal static class ClrTypes
{
    // System.Func/Action take at most 16 parameters.
    public const int MaxParameters = 16;

    private static readonly Type[] FuncDefinitions =
    [
        typeof(Func<>), typeof(Func<,>), typeof(Func<,,>), typeof(Func<,,,>), typeof(Func<,,,,>), typeof(Func<,,,,,>),
        typeof(Func<,,,,,,>), typeof(Func<,,,,,,,>), typeof(Func<,,,,,,,,>), typeof(Func<,,,,,,,,,>), typeof(Func<,,,,,,,,,,>),
        typeof(Func<,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,,>),
        typeof(Func<,,,,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,,,,>),
    ];

    private static readonly Type[] ActionDefinitions =
    [
        typeof(Action), typeof(Action<>), typeof(Action<,>), typeof(Action<,,>), typeof(Action<,,,>), typeof(Action<,,,,>),
        typeof(Action<,,,,,>), typeof(Action<,,,,,,>), typeof(Action<,,,,,,,>), typeof(Action<,,,,,,,,>), typeof(Action<,,,,,,,,,>),
        typeof(Action<,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,,>),
        typeof(Action<,,,,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,,,,>),
    ];

    private static readonly Type[] TupleDefinitions =
    [
        typeof(ValueTuple<>), typeof(ValueTuple<,>), typeof(ValueTuple<,,>), typeof(ValueTuple<,,,>),
        typeof(ValueTuple<,,,,>), typeof(ValueTuple<,,,,,>), typeof(ValueTuple<,,,,,,>), typeof(ValueTuple<,,,,,,,>),
    ];

    public static Type Of(ValueType type) => type switch
    {
        ValueType.I32 => typeof(int),
        ValueType.I64 => typeof(long),
        ValueType.F32 => typeof(float),
        ValueType.F64 => typeof(double),
        ValueType.V128 => typeof(Vector128<byte>),
        ValueType.FuncRef => typeof(Func),
        ValueType.ExternRef => typeof(object),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a value type"),
    };

    /// <summary>The wasm type a CLR type stands for, or null when it stands for none.</summary>
    public static ValueType? ToValueType(Type type) =>
        type == typeof(int) ? ValueType.I32
        : type == typeof(long) ? ValueType.I64
        : type == typeof(float) ? ValueType.F32
        : type == typeof(double) ? ValueType.F64
        : type == typeof(Vector128<byte>) ? ValueType.V128
        : type == typeof(Func) ? ValueType.FuncRef
        : type == typeof(object) ? ValueType.ExternRef
        : null;

    public static Type ReturnType(ImmutableArray<ValueType> results) => results.Length switch
    {
        0 => typeof(void),
        1 => Of(results[0]),
        _ => TupleType(results.AsSpan()),
    };

    private static Type TupleType(ReadOnlySpan<ValueType> items)
    {
        if (items.Length <= 7)
        {
            var args = new Type[items.Length];
            for (var i = 0; i < items.Length; i++) args[i] = Of(items[i]);
            return TupleDefinitions[items.Length - 1].MakeGenericType(args);
        }

        var outer = new Type[8];
        for (var i = 0; i < 7; i++) outer[i] = Of(items[i]);
        outer[7] = TupleType(items[7..]);
        return TupleDefinitions[7].MakeGenericType(outer);
    }

    public static bool FitsDelegate(FunctionType type) => type.Parameters.Length <= MaxParameters;

    /// <summary>The delegate type functions of <paramref name="type"/> are called through; <see cref="WideInvoker"/> past 16 parameters.</summary>
    public static Type DelegateType(FunctionType type)
    {
        if (!FitsDelegate(type)) return typeof(WideInvoker);

        var parameters = type.Parameters.Select(Of).ToList();
        var returnType = ReturnType(type.Results);
        if (returnType == typeof(void))
        {
            return parameters.Count == 0 ? typeof(Action) : ActionDefinitions[parameters.Count].MakeGenericType([.. parameters]);
        }

        parameters.Add(returnType);
        return FuncDefinitions[parameters.Count - 1].MakeGenericType([.. parameters]);
    }

    /// <summary>The results a CLR return type stands for (void, one value type, or a ValueTuple of them), or null.</summary>
    public static ImmutableArray<ValueType>? ResultsOf(Type returnType)
    {
        if (returnType == typeof(void)) return [];
        if (ToValueType(returnType) is { } single) return [single];
        if (!returnType.IsGenericType || !returnType.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)) return null;
        var builder = ImmutableArray.CreateBuilder<ValueType>();
        var args = returnType.GetGenericArguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (i == 7)
            {
                if (ResultsOf(args[i]) is not { Length: > 0 } rest) return null;
                builder.AddRange(rest);
            }
            else if (ToValueType(args[i]) is { } item)
            {
                builder.Add(item);
            }
            else
            {
                return null;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Replaces the tuple on the stack by its items, first item deepest.</summary>
    public static void EmitUnpack(ILGenerator il, Type tupleType, LocalBuilder tupleLocal)
    {
        il.Emit(OpCodes.Stloc, tupleLocal);
        EmitItems(il, tupleType, () => il.Emit(OpCodes.Ldloca, tupleLocal));
    }

    private static void EmitItems(ILGenerator il, Type tupleType, Action loadAddress)
    {
        var args = tupleType.GetGenericArguments();
        for (var i = 0; i < Math.Min(args.Length, 7); i++)
        {
            loadAddress();
            il.Emit(OpCodes.Ldfld, TupleField(tupleType, "Item" + (i + 1)));
        }

        if (args.Length == 8)
        {
            var rest = TupleField(tupleType, "Rest");
            EmitItems(il, args[7], () =>
            {
                loadAddress();
                il.Emit(OpCodes.Ldflda, rest);
            });
        }
    }

    /// <summary>Packs the results on the stack (first deepest) into the return type's tuple.</summary>
    public static void EmitPack(ILGenerator il, Type tupleType)
    {
        var args = tupleType.GetGenericArguments();
        if (args.Length == 8) EmitPack(il, args[7]);
        il.Emit(OpCodes.Newobj, TupleConstructor(tupleType));
    }

    public static FieldInfo TupleField(Type tupleType, string name) =>
        tupleType.GetField(name) ?? throw new InvalidOperationException($"{tupleType} has no field {name}");

    private static ConstructorInfo TupleConstructor(Type tupleType) =>
        tupleType.GetConstructor(tupleType.GetGenericArguments()) ?? throw new InvalidOperationException($"{tupleType} has no constructor");

    /// <summary>Moves a call's results from the stack (tuple or single value) into the <see cref="Value"/> array <paramref name="loadArray"/> pushes.</summary>
    public static void EmitStoreResults(ILGenerator il, ImmutableArray<ValueType> results, Action<ILGenerator> loadArray)
    {
        if (results.Length > 1)
        {
            var tupleType = ReturnType(results);
            EmitUnpack(il, tupleType, il.DeclareLocal(tupleType));
        }

        var locals = results.Select(t => il.DeclareLocal(Of(t))).ToArray();
        for (var i = results.Length - 1; i >= 0; i--) il.Emit(OpCodes.Stloc, locals[i]);
        for (var i = 0; i < results.Length; i++)
        {
            loadArray(il);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldloc, locals[i]);
            il.Emit(OpCodes.Call, ValueFactory(results[i]));
            il.Emit(OpCodes.Stelem, typeof(Value));
        }
    }

    private static readonly MethodInfo[] ValueFactories =
    [
        typeof(Value).GetMethod(nameof(Value.I32))!, typeof(Value).GetMethod(nameof(Value.I64))!,
        typeof(Value).GetMethod(nameof(Value.F32))!, typeof(Value).GetMethod(nameof(Value.F64))!,
        typeof(Value).GetMethod(nameof(Value.V128))!, typeof(Value).GetMethod(nameof(Value.FuncRef))!,
        typeof(Value).GetMethod(nameof(Value.ExternRef))!,
    ];

    private static readonly MethodInfo[] ValueReaders =
    [
        typeof(Value).GetMethod(nameof(Value.AsI32))!, typeof(Value).GetMethod(nameof(Value.AsI64))!,
        typeof(Value).GetMethod(nameof(Value.AsF32))!, typeof(Value).GetMethod(nameof(Value.AsF64))!,
        typeof(Value).GetMethod(nameof(Value.AsV128))!, typeof(Value).GetMethod(nameof(Value.AsFuncRef))!,
        typeof(Value).GetMethod(nameof(Value.AsExternRef))!,
    ];

    private static int Slot(ValueType type) => type switch
    {
        ValueType.I32 => 0,
        ValueType.I64 => 1,
        ValueType.F32 => 2,
        ValueType.F64 => 3,
        ValueType.V128 => 4,
        ValueType.FuncRef => 5,
        _ => 6,
    };

    /// <summary>The static factory turning a CLR value of <paramref name="type"/> into a <see cref="Value"/>.</summary>
    public static MethodInfo ValueFactory(ValueType type) => ValueFactories[Slot(type)];

    /// <summary>The instance method reading a <see cref="Value"/> (by address) as <paramref name="type"/>.</summary>
    public static MethodInfo ValueReader(ValueType type) => ValueReaders[Slot(type)];
}
