using System.Reflection;
using System.Runtime.Intrinsics;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Compilation.Simd;

namespace WasmKube.Runtime.Tests.Simd;

/// <summary>
/// The compiler finds each SIMD helper by reflection on the opcode name, so every 0xFD opcode the compiler does not
/// emit itself must have a <see cref="SimdOps"/> method of that name with the shape the engine contract prescribes.
/// </summary>
public sealed class SimdOpsContractTests
{
    private static readonly Opcode[] EmittedDirectly = [Opcode.V128Load, Opcode.V128Store, Opcode.V128Const];

    private static string[] HelperOpcodeNames() =>
        Enum.GetValues<Opcode>()
            .Where(op => ((int)op >> 16) == 0xFD && !EmittedDirectly.Contains(op))
            .Select(op => op.ToString())
            .ToArray();

    public static TheoryData<string> SimdOpcodeNames() => new(HelperOpcodeNames());

    [Fact]
    public void EveryPrefixedSimdOpcodeIsCovered()
    {
        // 236 opcodes carry the 0xFD prefix in WebAssembly 2.0 (spec §5.4.8); three are emitted by the compiler.
        Assert.Equal(233, HelperOpcodeNames().Length);
    }

    [Theory]
    [MemberData(nameof(SimdOpcodeNames))]
    public void HelperExistsWithContractSignature(string opcodeName)
    {
        var method = typeof(SimdOps).GetMethod(opcodeName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        Assert.True(method is not null, $"SimdOps has no static method named {opcodeName}");

        var (parameters, result) = ExpectedSignature(opcodeName);
        Assert.Equal(parameters, method!.GetParameters().Select(p => p.ParameterType).ToArray());
        Assert.Equal(result, method.ReturnType);
    }

    [Fact]
    public void NoHelperLacksAnOpcode()
    {
        var opcodeNames = HelperOpcodeNames().ToHashSet();
        var strays = typeof(SimdOps).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Select(m => m.Name)
            .Where(name => !opcodeNames.Contains(name))
            .ToArray();
        Assert.Empty(strays);
    }

    /// <summary>The signature the engine contract prescribes, derived from the opcode name alone.</summary>
    private static (Type[] Parameters, Type Result) ExpectedSignature(string name)
    {
        var v = typeof(Vector128<byte>);
        var scalar = ScalarOfShape(name);

        if (name.StartsWith("V128Load", StringComparison.Ordinal))
        {
            var raw = name switch
            {
                _ when name.Contains('x') => typeof(ulong),
                _ when name.StartsWith("V128Load8", StringComparison.Ordinal) => typeof(byte),
                _ when name.StartsWith("V128Load16", StringComparison.Ordinal) => typeof(ushort),
                _ when name.StartsWith("V128Load32", StringComparison.Ordinal) => typeof(uint),
                _ => typeof(ulong),
            };
            return name.EndsWith("Lane", StringComparison.Ordinal) ? ([v, raw, typeof(byte)], v) : ([raw], v);
        }
        if (name.StartsWith("V128Store", StringComparison.Ordinal))
        {
            var raw = name switch
            {
                "V128Store8Lane" => typeof(byte),
                "V128Store16Lane" => typeof(ushort),
                "V128Store32Lane" => typeof(uint),
                _ => typeof(ulong),
            };
            return ([v, typeof(byte)], raw);
        }
        if (name.Contains("ExtractLane", StringComparison.Ordinal))
        {
            return ([v, typeof(byte)], scalar);
        }
        if (name.EndsWith("ReplaceLane", StringComparison.Ordinal))
        {
            return ([v, scalar, typeof(byte)], v);
        }
        if (name.EndsWith("Splat", StringComparison.Ordinal))
        {
            return ([scalar], v);
        }
        if (name.EndsWith("Shl", StringComparison.Ordinal) || name.EndsWith("ShrS", StringComparison.Ordinal)
            || name.EndsWith("ShrU", StringComparison.Ordinal))
        {
            return ([v, typeof(int)], v);
        }
        if (name.EndsWith("AnyTrue", StringComparison.Ordinal) || name.EndsWith("AllTrue", StringComparison.Ordinal)
            || name.EndsWith("Bitmask", StringComparison.Ordinal))
        {
            return ([v], typeof(int));
        }
        if (name is "V128Bitselect" or "I8x16Shuffle")
        {
            return ([v, v, v], v);
        }
        string[] unary =
        [
            "Not", "Abs", "Neg", "Popcnt", "Sqrt", "Ceil", "Floor", "Trunc", "Nearest", "Extend", "ExtaddPairwise",
            "Convert", "TruncSat", "Demote", "Promote",
        ];
        var operation = name[(name.StartsWith("V128", StringComparison.Ordinal) ? 4 : 5)..];
        return unary.Any(u => operation.StartsWith(u, StringComparison.Ordinal)) ? ([v], v) : ([v, v], v);
    }

    /// <summary>The scalar type of a shape's lanes as compiled code sees it (i8/i16 lanes travel as i32).</summary>
    private static Type ScalarOfShape(string name) => name[..5] switch
    {
        "I8x16" or "I16x8" or "I32x4" => typeof(int),
        "I64x2" => typeof(long),
        "F32x4" => typeof(float),
        "F64x2" => typeof(double),
        _ => typeof(void),
    };
}
