using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Model;
using WasmKube.Runtime.Validation;

namespace WasmKube.Runtime.Tests.Validation;

public sealed class ValidatorTests
{
    private static void Valid(string text) => Validator.Validate(ModuleDecoder.Decode(Wat.ToWasm(text, validate: false)));

    private static InvalidModuleException Invalid(string text, string reason)
    {
        var module = ModuleDecoder.Decode(Wat.ToWasm(text, validate: false));
        var error = Assert.Throws<InvalidModuleException>(() => Validator.Validate(module));
        Assert.Equal(reason, error.Reason);
        return error;
    }

    [Fact]
    public void AcceptsTypicalFunctions() => Valid("""
        (module
          (memory 1)
          (table 2 funcref)
          (global $g (mut i64) (i64.const 0))
          (func $f (param i32 i32) (result i32)
            (local f64)
            (drop (i32.add (local.get 0) (local.get 1)))
            (global.set $g (i64.extend_i32_s (i32.const 1)))
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.load offset=4 align=4 (i32.const 0)))
              (else (call $f (i32.const 1) (i32.const 2)))))
          (func (result v128)
            (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (i32.const 7)))
            (f32x4.extract_lane 3)
            (f32x4.splat)))
        """);

    [Fact]
    public void ReportsFunctionAndOffsetOfTypeMismatch()
    {
        var error = Invalid("(module (func) (func (result i32) (i64.const 0)))", "type mismatch");
        Assert.Contains("function 1", error.Location, StringComparison.Ordinal);
        Assert.Contains("offset", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsPolymorphicStackAfterUnreachable() => Valid("""
        (module (func (result i32)
          (block (result f64)
            (block (result f32)
              (unreachable) (br_table 0 1 1 (i32.const 1)))
            (drop) (f64.const 0))
          (drop) (unreachable) (select) (i32.add)))
        """);

    [Fact]
    public void AcceptsMultiValueBlocks() => Valid("""
        (module (func (result i32 i64)
          (i32.const 1) (i64.const 2)
          (block (param i32 i64) (result i32 i64))
          (loop (param i32 i64) (result i32 i64))))
        """);

    [Fact]
    public void RejectsBranchTableWithInconsistentArity() => Invalid("""
        (module (func
          (block (result i32)
            (block
              (br_table 0 1 (i32.const 0) (i32.const 0))))
          (drop)))
        """, "type mismatch");

    [Fact]
    public void RejectsIfWithoutElseThatChangesTypes() =>
        Invalid("(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))", "type mismatch");

    [Fact]
    public void RejectsUntypedSelectOfReferences() =>
        Invalid("(module (func (result funcref) (select (ref.null func) (ref.null func) (i32.const 1))))", "type mismatch");

    [Fact]
    public void AcceptsTypedSelectOfReferences() =>
        Valid("(module (func (result externref) (select (result externref) (ref.null extern) (ref.null extern) (i32.const 1))))");

    [Theory]
    [InlineData("(module (func (local.get 0) (drop)))", "unknown local 0")]
    [InlineData("(module (func (global.get 3) (drop)))", "unknown global 3")]
    [InlineData("(module (func (call 5)))", "unknown function 5")]
    [InlineData("(module (func (br 1)))", "unknown label 1")]
    [InlineData("(module (func (drop (table.size 0))))", "unknown table 0")]
    [InlineData("(module (func (drop (memory.size))))", "unknown memory 0")]
    [InlineData("(module (memory 1) (func (data.drop 0)))", "unknown data segment 0")]
    [InlineData("(module (func (elem.drop 0)))", "unknown elem segment 0")]
    [InlineData("(module (table 1 funcref) (func (call_indirect (type 9) (i32.const 0))))", "unknown type 9")]
    public void RejectsUnknownIndices(string text, string reason) => Invalid(text, reason);

    [Fact]
    public void RejectsWritingImmutableGlobal() =>
        Invalid("(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))", "global is immutable");

    [Theory]
    [InlineData("(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))")]
    [InlineData("(module (memory 1) (func (drop (v128.load8_splat align=2 (i32.const 0)))))")]
    [InlineData("(module (memory 1) (func (v128.store align=32 (i32.const 0) (v128.const i64x2 0 0))))")]
    public void RejectsOverAlignedAccess(string text) => Invalid(text, "alignment must not be larger than natural");

    [Theory]
    [InlineData("(module (func (result i32) (i8x16.extract_lane_s 16 (v128.const i64x2 0 0))))")]
    [InlineData("(module (func (result v128) (f64x2.replace_lane 2 (v128.const i64x2 0 0) (f64.const 0))))")]
    [InlineData("(module (memory 1) (func (result v128) (v128.load32_lane 4 (i32.const 0) (v128.const i64x2 0 0))))")]
    [InlineData("(module (func (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32 (v128.const i64x2 0 0) (v128.const i64x2 0 0))))")]
    public void RejectsOutOfRangeLanes(string text) => Invalid(text, "invalid lane index");

    [Fact]
    public void RejectsUndeclaredFunctionReference() =>
        Invalid("(module (func $f) (func (result funcref) (ref.func $f)))", "undeclared function reference");

    [Fact]
    public void AcceptsFunctionReferenceDeclaredByElementSegment() =>
        Valid("(module (func $f) (elem declare func $f) (func (result funcref) (ref.func $f)))");

    [Theory]
    [InlineData("(module (global i32 (i32.add (i32.const 1) (i32.const 2))))", "constant expression required")]
    [InlineData("(module (global $m (import \"a\" \"b\") (mut i32)) (global i32 (global.get $m)))", "constant expression required")]
    [InlineData("(module (global i32 (i32.const 0)) (global i32 (global.get 0)))", "unknown global 0")]
    [InlineData("(module (global i32 (i64.const 0)))", "type mismatch")]
    [InlineData("(module (global i32 (i32.const 0) (i32.const 0)))", "type mismatch")]
    [InlineData("(module (memory 1) (data (i64.const 0) \"x\"))", "type mismatch")]
    public void ChecksConstantExpressions(string text, string reason) => Invalid(text, reason);

    [Theory]
    [InlineData("(module (memory 2 1))", "size minimum must not be greater than maximum")]
    [InlineData("(module (table 2 1 funcref))", "size minimum must not be greater than maximum")]
    [InlineData("(module (memory 65537))", "memory size must be at most 65536 pages (4GiB)")]
    [InlineData("(module (memory 0 65537))", "memory size must be at most 65536 pages (4GiB)")]
    [InlineData("(module (memory 0) (memory 0))", "multiple memories")]
    [InlineData("(module (memory (import \"a\" \"b\") 0) (memory 0))", "multiple memories")]
    public void ChecksLimitsAndMemoryCount(string text, string reason) => Invalid(text, reason);

    [Theory]
    [InlineData("(module (func (export \"a\")) (func (export \"a\")))", "duplicate export name")]
    [InlineData("(module (export \"a\" (func 3)))", "unknown function 3")]
    [InlineData("(module (export \"m\" (memory 0)))", "unknown memory 0")]
    [InlineData("(module (func (param i32)) (start 0))", "start function")]
    public void ChecksExportsAndStart(string text, string reason) => Invalid(text, reason);

    [Theory]
    [InlineData("(module (table 1 externref) (func $f) (elem (i32.const 0) func $f))", "type mismatch")]
    [InlineData("(module (table 1 funcref) (elem (table 0) (i32.const 0) externref (ref.null extern)))", "type mismatch")]
    [InlineData("(module (elem (i32.const 0) func))", "unknown table 0")]
    [InlineData("(module (table 1 funcref) (table 1 externref) (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0))))", "type mismatch")]
    [InlineData("(module (table 1 externref) (type (func)) (func (call_indirect (type 0) (i32.const 0))))", "type mismatch")]
    public void ChecksTablesAndElementSegments(string text, string reason) => Invalid(text, reason);

    [Fact]
    public void RejectsSelectWithSeveralTypes() =>
        Invalid("(module (func (result i32 i32) (select (result i32 i32) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1))))", "invalid result arity");

    [Fact]
    public void AcceptsEveryVectorOperatorOfTheSpecSuiteShapes() => Valid("""
        (module (memory 1) (func (param v128 i32) (result v128)
          (i8x16.narrow_i16x8_s (local.get 0) (local.get 0))
          (i16x8.extmul_low_i8x16_u (local.get 0))
          (i32x4.dot_i16x8_s (local.get 0))
          (f32x4.demote_f64x2_zero)
          (i32x4.trunc_sat_f64x2_u_zero)
          (i64x2.shl (local.get 1))
          (v128.bitselect (local.get 0) (local.get 0))
          (drop (i8x16.bitmask (local.get 0)))
          (drop (v128.load16_lane 7 (local.get 1) (local.get 0)))
          (v128.store64_lane 1 (local.get 1) (local.get 0))))
        """);

    [Fact]
    public void ValidatesDeeplyNestedBlocksWithoutRecursion()
    {
        const int depth = 100_000;
        byte[] code = [.. Enumerable.Repeat(new byte[] { 0x02, 0x40 }, depth).SelectMany(b => b), .. Enumerable.Repeat((byte)0x0B, depth + 1)];
        var bytes = Binary.WasmBytes.Module(
            Binary.WasmBytes.Section(1, Binary.WasmBytes.Vector(Binary.WasmBytes.FunctionType([], []))),
            Binary.WasmBytes.Section(3, Binary.WasmBytes.Vector([0x00])),
            Binary.WasmBytes.Section(10, Binary.WasmBytes.Vector(Binary.WasmBytes.Body(code))));

        var module = ModuleDecoder.Decode(bytes);
        Validator.Validate(module);
        Assert.Equal(code.Length, module.Bodies[0].Code.Length);
    }

    [Fact]
    public void DerivesASignatureForEveryPlainOperator()
    {
        // Every opcode must be handled somewhere: a malformed table would surface as "unsupported instruction".
        foreach (var opcode in Enum.GetValues<Opcode>())
        {
            var handled = OperatorSignatures.Of(opcode).IsDefined || MemoryAccess.Of(opcode).IsDefined || IsHandledDirectly(opcode);
            Assert.True(handled, $"{OpcodeNames.Of(opcode)} has no validation rule");
        }
    }

    [Fact]
    public void AcceptsHandBuiltDefinitionWithoutBinary()
    {
        var definition = new ModuleDefinition
        {
            Types = [new FunctionType([ValueType.I32], [ValueType.I32])],
            FunctionTypeIndices = [0],
            Bodies = [new FunctionBody([], new byte[] { 0x20, 0x00, 0x0B }, 0)],
        };
        Validator.Validate(definition);
        Assert.Throws<InvalidModuleException>(() => Validator.Validate(definition with
        {
            Bodies = [new FunctionBody([], new byte[] { 0x20, 0x01, 0x0B }, 0)],
        }));
    }

    private static bool IsHandledDirectly(Opcode opcode) =>
        (int)opcode < (int)Opcode.I32Load
        || opcode is Opcode.MemorySize or Opcode.MemoryGrow or Opcode.I32Const or Opcode.I64Const or Opcode.F32Const
            or Opcode.F64Const or Opcode.V128Const or Opcode.I8x16Shuffle or Opcode.RefNull or Opcode.RefIsNull
            or Opcode.RefFunc
            or (>= Opcode.MemoryInit and <= Opcode.TableFill)
            or (>= Opcode.I8x16ExtractLaneS and <= Opcode.F64x2ReplaceLane);
}
