using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Model;

namespace WasmKube.Runtime.Validation;

/// <summary>
/// Checks a decoded module against the validation rules of spec §3 and throws <see cref="InvalidModuleException"/>
/// with the spec test suite's wording and a location. Linear in the module size; function bodies are checked with an
/// explicit control stack, so nesting depth is bounded by memory, not by the .NET call stack.
/// </summary>
public static class Validator
{
    public static void Validate(ModuleDefinition module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var context = new ModuleContext(module);
        ValidateImports(context);
        ValidateTablesAndMemories(context);
        CollectDeclaredReferences(context);
        ValidateGlobals(context);
        ValidateExports(context);
        ValidateStart(context);
        ValidateElements(context);
        ValidateData(context);
        ValidateBodies(context);
    }

    private static void ValidateImports(ModuleContext context)
    {
        foreach (var import in context.Module.Imports)
        {
            var error = import.Descriptor switch
            {
                TableImport table => TableLimitsError(table.Type.Limits),
                MemoryImport memory => MemoryLimitsError(memory.Type.Limits),
                _ => null,
            };
            if (error is not null)
            {
                throw new InvalidModuleException(error, $"import {import.Module}.{import.Name}");
            }
        }
    }

    private static void ValidateTablesAndMemories(ModuleContext context)
    {
        for (var i = 0; i < context.Module.Tables.Length; i++)
        {
            if (TableLimitsError(context.Module.Tables[i].Limits) is { } error)
            {
                throw new InvalidModuleException(error, $"table {i}");
            }
        }

        for (var i = 0; i < context.Module.Memories.Length; i++)
        {
            if (MemoryLimitsError(context.Module.Memories[i].Limits) is { } error)
            {
                throw new InvalidModuleException(error, $"memory {i}");
            }
        }

        if (context.MemoryCount > 1)
        {
            throw new InvalidModuleException("multiple memories", "memory section");
        }
    }

    private static string? TableLimitsError(Limits limits) =>
        limits.Maximum is { } max && limits.Minimum > max ? "size minimum must not be greater than maximum" : null;

    private static string? MemoryLimitsError(Limits limits) =>
        limits.Minimum > MemoryType.MaxPages || limits.Maximum > MemoryType.MaxPages
            ? "memory size must be at most 65536 pages (4GiB)"
            : TableLimitsError(limits);

    /// <summary>C.refs (spec §3.4.10): function indices named outside function bodies and the start function.</summary>
    private static void CollectDeclaredReferences(ModuleContext context)
    {
        void Declare(ConstantExpression? expression)
        {
            if (expression is null)
            {
                return;
            }

            foreach (var instruction in expression.Instructions)
            {
                if (instruction.Opcode == Opcode.RefFunc && instruction.Index < (uint)context.DeclaredReferences.Length)
                {
                    context.DeclaredReferences[instruction.Index] = true;
                }
            }
        }

        foreach (var global in context.Module.Globals)
        {
            Declare(global.Initializer);
        }

        foreach (var segment in context.Module.Elements)
        {
            Declare(segment.Offset);
            foreach (var initializer in segment.Initializers)
            {
                Declare(initializer);
            }
        }

        foreach (var export in context.Module.Exports)
        {
            if (export.Kind == ExternKind.Function && export.Index < (uint)context.DeclaredReferences.Length)
            {
                context.DeclaredReferences[export.Index] = true;
            }
        }
    }

    private static void ValidateGlobals(ModuleContext context)
    {
        var globals = context.Module.Globals;
        for (var i = 0; i < globals.Length; i++)
        {
            ValidateConstant(context, globals[i].Initializer, globals[i].Type.ValueType, "global", context.ImportedGlobalCount + i);
        }
    }

    /// <summary>
    /// A constant expression (spec §3.3.10) must leave exactly one value of <paramref name="expected"/>; in 2.0,
    /// <c>global.get</c> may only read imported immutable globals.
    /// </summary>
    private static void ValidateConstant(ModuleContext context, ConstantExpression expression, ValueType expected, string owner, int ownerIndex)
    {
        InvalidModuleException Invalid(string reason) => new(reason, $"{owner} {ownerIndex}, offset {expression.Offset}");
        var depth = 0;
        ValueType top = 0;
        foreach (var instruction in expression.Instructions)
        {
            ValueType produced;
            switch (instruction.Opcode)
            {
                case Opcode.I32Const:
                    produced = ValueType.I32;
                    break;
                case Opcode.I64Const:
                    produced = ValueType.I64;
                    break;
                case Opcode.F32Const:
                    produced = ValueType.F32;
                    break;
                case Opcode.F64Const:
                    produced = ValueType.F64;
                    break;
                case Opcode.V128Const:
                    produced = ValueType.V128;
                    break;
                case Opcode.RefNull:
                    produced = instruction.ReferenceType;
                    break;
                case Opcode.RefFunc:
                    if (instruction.Index >= (uint)context.Functions.Length)
                    {
                        throw Invalid($"unknown function {instruction.Index}");
                    }

                    produced = ValueType.FuncRef;
                    break;
                case Opcode.GlobalGet:
                    if (instruction.Index >= (uint)context.ImportedGlobalCount)
                    {
                        throw Invalid($"unknown global {instruction.Index}");
                    }

                    var global = context.Globals[instruction.Index];
                    if (global.Mutable)
                    {
                        throw Invalid("constant expression required");
                    }

                    produced = global.ValueType;
                    break;
                default:
                    throw Invalid("constant expression required");
            }

            depth++;
            top = produced;
        }

        if (depth != 1 || top != expected)
        {
            throw Invalid("type mismatch");
        }
    }

    private static void ValidateExports(ModuleContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in context.Module.Exports)
        {
            if (!names.Add(export.Name))
            {
                throw new InvalidModuleException("duplicate export name", $"export \"{export.Name}\"");
            }

            var (count, kind) = export.Kind switch
            {
                ExternKind.Function => (context.Functions.Length, "function"),
                ExternKind.Table => (context.Tables.Length, "table"),
                ExternKind.Memory => (context.MemoryCount, "memory"),
                _ => (context.Globals.Length, "global"),
            };
            if (export.Index >= (uint)count)
            {
                throw new InvalidModuleException($"unknown {kind} {export.Index}", $"export \"{export.Name}\"");
            }
        }
    }

    private static void ValidateStart(ModuleContext context)
    {
        if (context.Module.StartFunction is not { } start)
        {
            return;
        }

        if (start >= (uint)context.Functions.Length)
        {
            throw new InvalidModuleException($"unknown function {start}", "start section");
        }

        var type = context.Functions[start];
        if (type.Parameters.Length != 0 || type.Results.Length != 0)
        {
            throw new InvalidModuleException("start function", "start section");
        }
    }

    private static void ValidateElements(ModuleContext context)
    {
        var elements = context.Module.Elements;
        for (var i = 0; i < elements.Length; i++)
        {
            var segment = elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                if (segment.TableIndex >= (uint)context.Tables.Length)
                {
                    throw new InvalidModuleException($"unknown table {segment.TableIndex}", $"element segment {i}");
                }

                ValidateConstant(context, segment.Offset!, ValueType.I32, "element segment", i);
                if (context.Tables[segment.TableIndex].ElementType != segment.Type)
                {
                    throw new InvalidModuleException("type mismatch", $"element segment {i}");
                }
            }

            foreach (var initializer in segment.Initializers)
            {
                ValidateConstant(context, initializer, segment.Type, "element segment", i);
            }
        }
    }

    private static void ValidateData(ModuleContext context)
    {
        var data = context.Module.Data;
        for (var i = 0; i < data.Length; i++)
        {
            var segment = data[i];
            if (segment.Mode != SegmentMode.Active)
            {
                continue;
            }

            if (segment.MemoryIndex >= (uint)context.MemoryCount)
            {
                throw new InvalidModuleException($"unknown memory {segment.MemoryIndex}", $"data segment {i}");
            }

            ValidateConstant(context, segment.Offset!, ValueType.I32, "data segment", i);
        }
    }

    private static void ValidateBodies(ModuleContext context)
    {
        var bodies = context.Module.Bodies;
        if (bodies.Length != context.Module.FunctionTypeIndices.Length)
        {
            // The decoder rejects this as malformed; definitions built in code reach it here.
            throw new InvalidModuleException("function and code section have inconsistent lengths", "code section");
        }

        var validator = new FunctionValidator(context);
        for (var i = 0; i < bodies.Length; i++)
        {
            var functionIndex = context.ImportedFunctionCount + i;
            validator.Validate(functionIndex, context.Functions[functionIndex], bodies[i]);
        }
    }
}
