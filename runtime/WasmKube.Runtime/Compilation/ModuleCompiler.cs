using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Reflection.Emit;
using WasmKube.Runtime.Execution;

namespace WasmKube.Runtime.Compilation;

/// <summary>
/// Compiles a validated module to a persisted assembly image: one static class with a method <c>f{index}</c> per
/// defined function (parameters, then the <see cref="InstanceContext"/>) and a trampoline <c>d{index}</c> with the
/// context first, which <see cref="Func"/> delegates are closed over. The same image serves the in-memory path and
/// the on-disk cache: it is always loaded through <see cref="CompiledCode.Load"/> into a collectible context.
/// </summary>
internal static class ModuleCompiler
{
    public const string CodeTypeName = "WasmKube.Compiled.Code";

    /// <summary>
    /// Most parameters of one function type. They become arguments of a CLR method: thousands make the JIT reject
    /// the method or take minutes over it.
    /// </summary>
    public const int MaxFunctionParameters = 1_000;

    /// <summary>
    /// Most results of one function type. They travel as a nested value tuple, whose cost to build grows much faster
    /// than its size (a second and over 600 MiB for one call of 999 results); thousands overflow the stack at the
    /// first call.
    /// </summary>
    public const int MaxFunctionResults = 100;

    /// <summary>Compiles the module to an image for <see cref="CompiledCode.Load"/>: the assembly plus its offset maps.</summary>
    public static byte[] Compile(ModuleInfo module, string assemblyName)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName(assemblyName), typeof(object).Assembly);
        var moduleBuilder = assembly.DefineDynamicModule(assemblyName);
        GrantAccess(assembly, moduleBuilder);
        var code = moduleBuilder.DefineType(CodeTypeName, TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class);

        var definition = module.Definition;
        for (var i = 0; i < definition.Types.Length; i++)
        {
            var type = definition.Types[i];
            if (type.Parameters.Length > MaxFunctionParameters || type.Results.Length > MaxFunctionResults)
            {
                throw new CompileLimitException("function type limit",
                    $"type {i} has {type.Parameters.Length:N0} parameters and {type.Results.Length:N0} results; the engine supports at most {MaxFunctionParameters:N0} parameters and {MaxFunctionResults:N0} results");
            }
        }

        var methods = new MethodBuilder[definition.Bodies.Length];
        for (var i = 0; i < methods.Length; i++)
        {
            var index = (uint)(i + module.ImportedFunctionCount);
            var type = module.FunctionTypes[(int)index];
            methods[i] = code.DefineMethod(CompiledCode.FunctionMethodName(index), MethodAttributes.Public | MethodAttributes.Static,
                ClrTypes.ReturnType(type.Results), FunctionCompiler.ParameterTypes(type));
        }

        module.Methods = methods;
        var offsetMaps = new int[methods.Length][];
        for (var i = 0; i < methods.Length; i++)
        {
            var index = (uint)(i + module.ImportedFunctionCount);
            var compiler = new FunctionCompiler(module, index, methods[i]);
            compiler.Compile();
            module.Budget.Check(index);
            offsetMaps[i] = [.. compiler.OffsetMap];
            DefineTrampoline(code, module.FunctionTypes[(int)index], index, methods[i]);
        }

        code.CreateType();
        using var image = new MemoryStream();
        assembly.Save(image);
        var bytes = image.ToArray();
        FixAttributeConstructorToken(bytes);
        return CompiledCode.Pack(bytes, offsetMaps);
    }

    private static MethodBuilder DefineTrampoline(TypeBuilder code, FunctionType type, uint index, MethodInfo target)
    {
        if (!ClrTypes.FitsDelegate(type)) return DefineWideTrampoline(code, type, index, target);

        var parameters = new List<Type> { typeof(InstanceContext) };
        parameters.AddRange(type.Parameters.Select(ClrTypes.Of));
        var trampoline = code.DefineMethod(CompiledCode.TrampolineMethodName(index), MethodAttributes.Public | MethodAttributes.Static,
            ClrTypes.ReturnType(type.Results), [.. parameters]);
        var il = trampoline.GetILGenerator();
        for (var i = 1; i <= type.Parameters.Length; i++) il.Emit(OpCodes.Ldarg, (short)i);
        il.Emit(OpCodes.Ldarg_0);

        // A tail call leaves no trampoline frame and keeps the JIT from inlining the function into it, so backtraces
        // see the function's own frame.
        il.Emit(OpCodes.Tailcall);
        il.Emit(OpCodes.Call, target);
        il.Emit(OpCodes.Ret);
        return trampoline;
    }

    /// <summary>The <see cref="WideInvoker"/> form: (context, argument values, result values).</summary>
    private static MethodBuilder DefineWideTrampoline(TypeBuilder code, FunctionType type, uint index, MethodInfo target)
    {
        var trampoline = code.DefineMethod(CompiledCode.TrampolineMethodName(index), MethodAttributes.Public | MethodAttributes.Static,
            typeof(void), [typeof(InstanceContext), typeof(Value[]), typeof(Value[])]);
        var il = trampoline.GetILGenerator();
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelema, typeof(Value));
            il.Emit(OpCodes.Call, ClrTypes.ValueReader(type.Parameters[i]));
        }

        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, target);
        ClrTypes.EmitStoreResults(il, type.Results, static il => il.Emit(OpCodes.Ldarg_2));
        il.Emit(OpCodes.Ret);
        return trampoline;
    }

    /// <summary>
    /// Compiled code reads internal runtime state (memory pointers, store flags, globals) directly. The runtime honours
    /// an IgnoresAccessChecksToAttribute that the accessing assembly defines itself.
    /// </summary>
    private static void GrantAccess(PersistedAssemblyBuilder assembly, ModuleBuilder module)
    {
        var attribute = module.DefineType("System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute",
            TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Sealed, typeof(Attribute));
        var constructor = attribute.DefineConstructor(MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            CallingConventions.Standard, [typeof(string)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(Attribute).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ret);
        attribute.CreateType();
        assembly.SetCustomAttribute(new CustomAttributeBuilder(constructor, [typeof(Func).Assembly.GetName().Name!]));
    }

    /// <summary>
    /// PersistedAssemblyBuilder (.NET 9/10) writes an assembly attribute whose constructor is defined in the same
    /// assembly with MethodDef row 0, which the loader rejects as a bad image. Point such rows at the attribute's
    /// real constructor; images written correctly are left alone.
    /// </summary>
    private static void FixAttributeConstructorToken(byte[] image)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        var metadata = pe.GetMetadataReader();
        var constructorRow = 0;
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            var type = metadata.GetTypeDefinition(method.GetDeclaringType());
            if (metadata.StringComparer.Equals(method.Name, ".ctor") && metadata.StringComparer.Equals(type.Name, "IgnoresAccessChecksToAttribute"))
            {
                constructorRow = MetadataTokens.GetRowNumber(handle);
            }
        }

        var table = pe.PEHeaders.MetadataStartOffset + metadata.GetTableMetadataOffset(TableIndex.CustomAttribute);
        var rowSize = metadata.GetTableRowSize(TableIndex.CustomAttribute);
        var rows = metadata.GetTableRowCount(TableIndex.CustomAttribute);
        var blobSize = metadata.GetHeapSize(HeapIndex.Blob) < 65536 ? 2 : 4;

        // CustomAttributeType is a coded index with 3 tag bits over MethodDef and MemberRef.
        var typeSize = Math.Max(metadata.GetTableRowCount(TableIndex.MethodDef), metadata.GetTableRowCount(TableIndex.MemberRef)) < (1 << 13) ? 2 : 4;
        var parentSize = rowSize - typeSize - blobSize;
        for (var row = 0; row < rows && constructorRow > 0; row++)
        {
            var at = image.AsSpan(table + (row * rowSize) + parentSize, typeSize);

            // (row << 3) | 2 names a MethodDef; MethodDef row 0 is the broken reference.
            var value = typeSize == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(at) : BinaryPrimitives.ReadUInt32LittleEndian(at);
            if (value != 2) continue;
            var fixedValue = (uint)((constructorRow << 3) | 2);
            if (typeSize == 2) BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)fixedValue);
            else BinaryPrimitives.WriteUInt32LittleEndian(at, fixedValue);
        }
    }
}
