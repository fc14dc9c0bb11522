namespace WasmKube.Runtime.Binary;

/// <summary>
/// Every WebAssembly 2.0 instruction (spec §5.4). Single-byte opcodes keep their byte value; prefixed ones are
/// <c>(prefix &lt;&lt; 16) | subopcode</c>, where the subopcode is the LEB128 u32 that follows the 0xFC or 0xFD prefix.
/// </summary>
public enum Opcode
{
    /// <summary><c>unreachable</c> (0x00)</summary>
    Unreachable = 0x0,
    /// <summary><c>nop</c> (0x01)</summary>
    Nop = 0x1,
    /// <summary><c>block</c> (0x02)</summary>
    Block = 0x2,
    /// <summary><c>loop</c> (0x03)</summary>
    Loop = 0x3,
    /// <summary><c>if</c> (0x04)</summary>
    If = 0x4,
    /// <summary><c>else</c> (0x05)</summary>
    Else = 0x5,
    /// <summary><c>end</c> (0x0B)</summary>
    End = 0xB,
    /// <summary><c>br</c> (0x0C)</summary>
    Br = 0xC,
    /// <summary><c>br_if</c> (0x0D)</summary>
    BrIf = 0xD,
    /// <summary><c>br_table</c> (0x0E)</summary>
    BrTable = 0xE,
    /// <summary><c>return</c> (0x0F)</summary>
    Return = 0xF,
    /// <summary><c>call</c> (0x10)</summary>
    Call = 0x10,
    /// <summary><c>call_indirect</c> (0x11)</summary>
    CallIndirect = 0x11,
    /// <summary><c>drop</c> (0x1A)</summary>
    Drop = 0x1A,
    /// <summary><c>select</c> (0x1B)</summary>
    Select = 0x1B,
    /// <summary><c>select</c> (0x1C)</summary>
    SelectTyped = 0x1C,
    /// <summary><c>local.get</c> (0x20)</summary>
    LocalGet = 0x20,
    /// <summary><c>local.set</c> (0x21)</summary>
    LocalSet = 0x21,
    /// <summary><c>local.tee</c> (0x22)</summary>
    LocalTee = 0x22,
    /// <summary><c>global.get</c> (0x23)</summary>
    GlobalGet = 0x23,
    /// <summary><c>global.set</c> (0x24)</summary>
    GlobalSet = 0x24,
    /// <summary><c>table.get</c> (0x25)</summary>
    TableGet = 0x25,
    /// <summary><c>table.set</c> (0x26)</summary>
    TableSet = 0x26,
    /// <summary><c>i32.load</c> (0x28)</summary>
    I32Load = 0x28,
    /// <summary><c>i64.load</c> (0x29)</summary>
    I64Load = 0x29,
    /// <summary><c>f32.load</c> (0x2A)</summary>
    F32Load = 0x2A,
    /// <summary><c>f64.load</c> (0x2B)</summary>
    F64Load = 0x2B,
    /// <summary><c>i32.load8_s</c> (0x2C)</summary>
    I32Load8S = 0x2C,
    /// <summary><c>i32.load8_u</c> (0x2D)</summary>
    I32Load8U = 0x2D,
    /// <summary><c>i32.load16_s</c> (0x2E)</summary>
    I32Load16S = 0x2E,
    /// <summary><c>i32.load16_u</c> (0x2F)</summary>
    I32Load16U = 0x2F,
    /// <summary><c>i64.load8_s</c> (0x30)</summary>
    I64Load8S = 0x30,
    /// <summary><c>i64.load8_u</c> (0x31)</summary>
    I64Load8U = 0x31,
    /// <summary><c>i64.load16_s</c> (0x32)</summary>
    I64Load16S = 0x32,
    /// <summary><c>i64.load16_u</c> (0x33)</summary>
    I64Load16U = 0x33,
    /// <summary><c>i64.load32_s</c> (0x34)</summary>
    I64Load32S = 0x34,
    /// <summary><c>i64.load32_u</c> (0x35)</summary>
    I64Load32U = 0x35,
    /// <summary><c>i32.store</c> (0x36)</summary>
    I32Store = 0x36,
    /// <summary><c>i64.store</c> (0x37)</summary>
    I64Store = 0x37,
    /// <summary><c>f32.store</c> (0x38)</summary>
    F32Store = 0x38,
    /// <summary><c>f64.store</c> (0x39)</summary>
    F64Store = 0x39,
    /// <summary><c>i32.store8</c> (0x3A)</summary>
    I32Store8 = 0x3A,
    /// <summary><c>i32.store16</c> (0x3B)</summary>
    I32Store16 = 0x3B,
    /// <summary><c>i64.store8</c> (0x3C)</summary>
    I64Store8 = 0x3C,
    /// <summary><c>i64.store16</c> (0x3D)</summary>
    I64Store16 = 0x3D,
    /// <summary><c>i64.store32</c> (0x3E)</summary>
    I64Store32 = 0x3E,
    /// <summary><c>memory.size</c> (0x3F)</summary>
    MemorySize = 0x3F,
    /// <summary><c>memory.grow</c> (0x40)</summary>
    MemoryGrow = 0x40,
    /// <summary><c>i32.const</c> (0x41)</summary>
    I32Const = 0x41,
    /// <summary><c>i64.const</c> (0x42)</summary>
    I64Const = 0x42,
    /// <summary><c>f32.const</c> (0x43)</summary>
    F32Const = 0x43,
    /// <summary><c>f64.const</c> (0x44)</summary>
    F64Const = 0x44,
    /// <summary><c>i32.eqz</c> (0x45)</summary>
    I32Eqz = 0x45,
    /// <summary><c>i32.eq</c> (0x46)</summary>
    I32Eq = 0x46,
    /// <summary><c>i32.ne</c> (0x47)</summary>
    I32Ne = 0x47,
    /// <summary><c>i32.lt_s</c> (0x48)</summary>
    I32LtS = 0x48,
    /// <summary><c>i32.lt_u</c> (0x49)</summary>
    I32LtU = 0x49,
    /// <summary><c>i32.gt_s</c> (0x4A)</summary>
    I32GtS = 0x4A,
    /// <summary><c>i32.gt_u</c> (0x4B)</summary>
    I32GtU = 0x4B,
    /// <summary><c>i32.le_s</c> (0x4C)</summary>
    I32LeS = 0x4C,
    /// <summary><c>i32.le_u</c> (0x4D)</summary>
    I32LeU = 0x4D,
    /// <summary><c>i32.ge_s</c> (0x4E)</summary>
    I32GeS = 0x4E,
    /// <summary><c>i32.ge_u</c> (0x4F)</summary>
    I32GeU = 0x4F,
    /// <summary><c>i64.eqz</c> (0x50)</summary>
    I64Eqz = 0x50,
    /// <summary><c>i64.eq</c> (0x51)</summary>
    I64Eq = 0x51,
    /// <summary><c>i64.ne</c> (0x52)</summary>
    I64Ne = 0x52,
    /// <summary><c>i64.lt_s</c> (0x53)</summary>
    I64LtS = 0x53,
    /// <summary><c>i64.lt_u</c> (0x54)</summary>
    I64LtU = 0x54,
    /// <summary><c>i64.gt_s</c> (0x55)</summary>
    I64GtS = 0x55,
    /// <summary><c>i64.gt_u</c> (0x56)</summary>
    I64GtU = 0x56,
    /// <summary><c>i64.le_s</c> (0x57)</summary>
    I64LeS = 0x57,
    /// <summary><c>i64.le_u</c> (0x58)</summary>
    I64LeU = 0x58,
    /// <summary><c>i64.ge_s</c> (0x59)</summary>
    I64GeS = 0x59,
    /// <summary><c>i64.ge_u</c> (0x5A)</summary>
    I64GeU = 0x5A,
    /// <summary><c>f32.eq</c> (0x5B)</summary>
    F32Eq = 0x5B,
    /// <summary><c>f32.ne</c> (0x5C)</summary>
    F32Ne = 0x5C,
    /// <summary><c>f32.lt</c> (0x5D)</summary>
    F32Lt = 0x5D,
    /// <summary><c>f32.gt</c> (0x5E)</summary>
    F32Gt = 0x5E,
    /// <summary><c>f32.le</c> (0x5F)</summary>
    F32Le = 0x5F,
    /// <summary><c>f32.ge</c> (0x60)</summary>
    F32Ge = 0x60,
    /// <summary><c>f64.eq</c> (0x61)</summary>
    F64Eq = 0x61,
    /// <summary><c>f64.ne</c> (0x62)</summary>
    F64Ne = 0x62,
    /// <summary><c>f64.lt</c> (0x63)</summary>
    F64Lt = 0x63,
    /// <summary><c>f64.gt</c> (0x64)</summary>
    F64Gt = 0x64,
    /// <summary><c>f64.le</c> (0x65)</summary>
    F64Le = 0x65,
    /// <summary><c>f64.ge</c> (0x66)</summary>
    F64Ge = 0x66,
    /// <summary><c>i32.clz</c> (0x67)</summary>
    I32Clz = 0x67,
    /// <summary><c>i32.ctz</c> (0x68)</summary>
    I32Ctz = 0x68,
    /// <summary><c>i32.popcnt</c> (0x69)</summary>
    I32Popcnt = 0x69,
    /// <summary><c>i32.add</c> (0x6A)</summary>
    I32Add = 0x6A,
    /// <summary><c>i32.sub</c> (0x6B)</summary>
    I32Sub = 0x6B,
    /// <summary><c>i32.mul</c> (0x6C)</summary>
    I32Mul = 0x6C,
    /// <summary><c>i32.div_s</c> (0x6D)</summary>
    I32DivS = 0x6D,
    /// <summary><c>i32.div_u</c> (0x6E)</summary>
    I32DivU = 0x6E,
    /// <summary><c>i32.rem_s</c> (0x6F)</summary>
    I32RemS = 0x6F,
    /// <summary><c>i32.rem_u</c> (0x70)</summary>
    I32RemU = 0x70,
    /// <summary><c>i32.and</c> (0x71)</summary>
    I32And = 0x71,
    /// <summary><c>i32.or</c> (0x72)</summary>
    I32Or = 0x72,
    /// <summary><c>i32.xor</c> (0x73)</summary>
    I32Xor = 0x73,
    /// <summary><c>i32.shl</c> (0x74)</summary>
    I32Shl = 0x74,
    /// <summary><c>i32.shr_s</c> (0x75)</summary>
    I32ShrS = 0x75,
    /// <summary><c>i32.shr_u</c> (0x76)</summary>
    I32ShrU = 0x76,
    /// <summary><c>i32.rotl</c> (0x77)</summary>
    I32Rotl = 0x77,
    /// <summary><c>i32.rotr</c> (0x78)</summary>
    I32Rotr = 0x78,
    /// <summary><c>i64.clz</c> (0x79)</summary>
    I64Clz = 0x79,
    /// <summary><c>i64.ctz</c> (0x7A)</summary>
    I64Ctz = 0x7A,
    /// <summary><c>i64.popcnt</c> (0x7B)</summary>
    I64Popcnt = 0x7B,
    /// <summary><c>i64.add</c> (0x7C)</summary>
    I64Add = 0x7C,
    /// <summary><c>i64.sub</c> (0x7D)</summary>
    I64Sub = 0x7D,
    /// <summary><c>i64.mul</c> (0x7E)</summary>
    I64Mul = 0x7E,
    /// <summary><c>i64.div_s</c> (0x7F)</summary>
    I64DivS = 0x7F,
    /// <summary><c>i64.div_u</c> (0x80)</summary>
    I64DivU = 0x80,
    /// <summary><c>i64.rem_s</c> (0x81)</summary>
    I64RemS = 0x81,
    /// <summary><c>i64.rem_u</c> (0x82)</summary>
    I64RemU = 0x82,
    /// <summary><c>i64.and</c> (0x83)</summary>
    I64And = 0x83,
    /// <summary><c>i64.or</c> (0x84)</summary>
    I64Or = 0x84,
    /// <summary><c>i64.xor</c> (0x85)</summary>
    I64Xor = 0x85,
    /// <summary><c>i64.shl</c> (0x86)</summary>
    I64Shl = 0x86,
    /// <summary><c>i64.shr_s</c> (0x87)</summary>
    I64ShrS = 0x87,
    /// <summary><c>i64.shr_u</c> (0x88)</summary>
    I64ShrU = 0x88,
    /// <summary><c>i64.rotl</c> (0x89)</summary>
    I64Rotl = 0x89,
    /// <summary><c>i64.rotr</c> (0x8A)</summary>
    I64Rotr = 0x8A,
    /// <summary><c>f32.abs</c> (0x8B)</summary>
    F32Abs = 0x8B,
    /// <summary><c>f32.neg</c> (0x8C)</summary>
    F32Neg = 0x8C,
    /// <summary><c>f32.ceil</c> (0x8D)</summary>
    F32Ceil = 0x8D,
    /// <summary><c>f32.floor</c> (0x8E)</summary>
    F32Floor = 0x8E,
    /// <summary><c>f32.trunc</c> (0x8F)</summary>
    F32Trunc = 0x8F,
    /// <summary><c>f32.nearest</c> (0x90)</summary>
    F32Nearest = 0x90,
    /// <summary><c>f32.sqrt</c> (0x91)</summary>
    F32Sqrt = 0x91,
    /// <summary><c>f32.add</c> (0x92)</summary>
    F32Add = 0x92,
    /// <summary><c>f32.sub</c> (0x93)</summary>
    F32Sub = 0x93,
    /// <summary><c>f32.mul</c> (0x94)</summary>
    F32Mul = 0x94,
    /// <summary><c>f32.div</c> (0x95)</summary>
    F32Div = 0x95,
    /// <summary><c>f32.min</c> (0x96)</summary>
    F32Min = 0x96,
    /// <summary><c>f32.max</c> (0x97)</summary>
    F32Max = 0x97,
    /// <summary><c>f32.copysign</c> (0x98)</summary>
    F32Copysign = 0x98,
    /// <summary><c>f64.abs</c> (0x99)</summary>
    F64Abs = 0x99,
    /// <summary><c>f64.neg</c> (0x9A)</summary>
    F64Neg = 0x9A,
    /// <summary><c>f64.ceil</c> (0x9B)</summary>
    F64Ceil = 0x9B,
    /// <summary><c>f64.floor</c> (0x9C)</summary>
    F64Floor = 0x9C,
    /// <summary><c>f64.trunc</c> (0x9D)</summary>
    F64Trunc = 0x9D,
    /// <summary><c>f64.nearest</c> (0x9E)</summary>
    F64Nearest = 0x9E,
    /// <summary><c>f64.sqrt</c> (0x9F)</summary>
    F64Sqrt = 0x9F,
    /// <summary><c>f64.add</c> (0xA0)</summary>
    F64Add = 0xA0,
    /// <summary><c>f64.sub</c> (0xA1)</summary>
    F64Sub = 0xA1,
    /// <summary><c>f64.mul</c> (0xA2)</summary>
    F64Mul = 0xA2,
    /// <summary><c>f64.div</c> (0xA3)</summary>
    F64Div = 0xA3,
    /// <summary><c>f64.min</c> (0xA4)</summary>
    F64Min = 0xA4,
    /// <summary><c>f64.max</c> (0xA5)</summary>
    F64Max = 0xA5,
    /// <summary><c>f64.copysign</c> (0xA6)</summary>
    F64Copysign = 0xA6,
    /// <summary><c>i32.wrap_i64</c> (0xA7)</summary>
    I32WrapI64 = 0xA7,
    /// <summary><c>i32.trunc_f32_s</c> (0xA8)</summary>
    I32TruncF32S = 0xA8,
    /// <summary><c>i32.trunc_f32_u</c> (0xA9)</summary>
    I32TruncF32U = 0xA9,
    /// <summary><c>i32.trunc_f64_s</c> (0xAA)</summary>
    I32TruncF64S = 0xAA,
    /// <summary><c>i32.trunc_f64_u</c> (0xAB)</summary>
    I32TruncF64U = 0xAB,
    /// <summary><c>i64.extend_i32_s</c> (0xAC)</summary>
    I64ExtendI32S = 0xAC,
    /// <summary><c>i64.extend_i32_u</c> (0xAD)</summary>
    I64ExtendI32U = 0xAD,
    /// <summary><c>i64.trunc_f32_s</c> (0xAE)</summary>
    I64TruncF32S = 0xAE,
    /// <summary><c>i64.trunc_f32_u</c> (0xAF)</summary>
    I64TruncF32U = 0xAF,
    /// <summary><c>i64.trunc_f64_s</c> (0xB0)</summary>
    I64TruncF64S = 0xB0,
    /// <summary><c>i64.trunc_f64_u</c> (0xB1)</summary>
    I64TruncF64U = 0xB1,
    /// <summary><c>f32.convert_i32_s</c> (0xB2)</summary>
    F32ConvertI32S = 0xB2,
    /// <summary><c>f32.convert_i32_u</c> (0xB3)</summary>
    F32ConvertI32U = 0xB3,
    /// <summary><c>f32.convert_i64_s</c> (0xB4)</summary>
    F32ConvertI64S = 0xB4,
    /// <summary><c>f32.convert_i64_u</c> (0xB5)</summary>
    F32ConvertI64U = 0xB5,
    /// <summary><c>f32.demote_f64</c> (0xB6)</summary>
    F32DemoteF64 = 0xB6,
    /// <summary><c>f64.convert_i32_s</c> (0xB7)</summary>
    F64ConvertI32S = 0xB7,
    /// <summary><c>f64.convert_i32_u</c> (0xB8)</summary>
    F64ConvertI32U = 0xB8,
    /// <summary><c>f64.convert_i64_s</c> (0xB9)</summary>
    F64ConvertI64S = 0xB9,
    /// <summary><c>f64.convert_i64_u</c> (0xBA)</summary>
    F64ConvertI64U = 0xBA,
    /// <summary><c>f64.promote_f32</c> (0xBB)</summary>
    F64PromoteF32 = 0xBB,
    /// <summary><c>i32.reinterpret_f32</c> (0xBC)</summary>
    I32ReinterpretF32 = 0xBC,
    /// <summary><c>i64.reinterpret_f64</c> (0xBD)</summary>
    I64ReinterpretF64 = 0xBD,
    /// <summary><c>f32.reinterpret_i32</c> (0xBE)</summary>
    F32ReinterpretI32 = 0xBE,
    /// <summary><c>f64.reinterpret_i64</c> (0xBF)</summary>
    F64ReinterpretI64 = 0xBF,
    /// <summary><c>i32.extend8_s</c> (0xC0)</summary>
    I32Extend8S = 0xC0,
    /// <summary><c>i32.extend16_s</c> (0xC1)</summary>
    I32Extend16S = 0xC1,
    /// <summary><c>i64.extend8_s</c> (0xC2)</summary>
    I64Extend8S = 0xC2,
    /// <summary><c>i64.extend16_s</c> (0xC3)</summary>
    I64Extend16S = 0xC3,
    /// <summary><c>i64.extend32_s</c> (0xC4)</summary>
    I64Extend32S = 0xC4,
    /// <summary><c>ref.null</c> (0xD0)</summary>
    RefNull = 0xD0,
    /// <summary><c>ref.is_null</c> (0xD1)</summary>
    RefIsNull = 0xD1,
    /// <summary><c>ref.func</c> (0xD2)</summary>
    RefFunc = 0xD2,
    /// <summary><c>i32.trunc_sat_f32_s</c> (0xFC 0)</summary>
    I32TruncSatF32S = 0xFC0000,
    /// <summary><c>i32.trunc_sat_f32_u</c> (0xFC 1)</summary>
    I32TruncSatF32U = 0xFC0001,
    /// <summary><c>i32.trunc_sat_f64_s</c> (0xFC 2)</summary>
    I32TruncSatF64S = 0xFC0002,
    /// <summary><c>i32.trunc_sat_f64_u</c> (0xFC 3)</summary>
    I32TruncSatF64U = 0xFC0003,
    /// <summary><c>i64.trunc_sat_f32_s</c> (0xFC 4)</summary>
    I64TruncSatF32S = 0xFC0004,
    /// <summary><c>i64.trunc_sat_f32_u</c> (0xFC 5)</summary>
    I64TruncSatF32U = 0xFC0005,
    /// <summary><c>i64.trunc_sat_f64_s</c> (0xFC 6)</summary>
    I64TruncSatF64S = 0xFC0006,
    /// <summary><c>i64.trunc_sat_f64_u</c> (0xFC 7)</summary>
    I64TruncSatF64U = 0xFC0007,
    /// <summary><c>memory.init</c> (0xFC 8)</summary>
    MemoryInit = 0xFC0008,
    /// <summary><c>data.drop</c> (0xFC 9)</summary>
    DataDrop = 0xFC0009,
    /// <summary><c>memory.copy</c> (0xFC 10)</summary>
    MemoryCopy = 0xFC000A,
    /// <summary><c>memory.fill</c> (0xFC 11)</summary>
    MemoryFill = 0xFC000B,
    /// <summary><c>table.init</c> (0xFC 12)</summary>
    TableInit = 0xFC000C,
    /// <summary><c>elem.drop</c> (0xFC 13)</summary>
    ElemDrop = 0xFC000D,
    /// <summary><c>table.copy</c> (0xFC 14)</summary>
    TableCopy = 0xFC000E,
    /// <summary><c>table.grow</c> (0xFC 15)</summary>
    TableGrow = 0xFC000F,
    /// <summary><c>table.size</c> (0xFC 16)</summary>
    TableSize = 0xFC0010,
    /// <summary><c>table.fill</c> (0xFC 17)</summary>
    TableFill = 0xFC0011,
    /// <summary><c>v128.load</c> (0xFD 0)</summary>
    V128Load = 0xFD0000,
    /// <summary><c>v128.load8x8_s</c> (0xFD 1)</summary>
    V128Load8x8S = 0xFD0001,
    /// <summary><c>v128.load8x8_u</c> (0xFD 2)</summary>
    V128Load8x8U = 0xFD0002,
    /// <summary><c>v128.load16x4_s</c> (0xFD 3)</summary>
    V128Load16x4S = 0xFD0003,
    /// <summary><c>v128.load16x4_u</c> (0xFD 4)</summary>
    V128Load16x4U = 0xFD0004,
    /// <summary><c>v128.load32x2_s</c> (0xFD 5)</summary>
    V128Load32x2S = 0xFD0005,
    /// <summary><c>v128.load32x2_u</c> (0xFD 6)</summary>
    V128Load32x2U = 0xFD0006,
    /// <summary><c>v128.load8_splat</c> (0xFD 7)</summary>
    V128Load8Splat = 0xFD0007,
    /// <summary><c>v128.load16_splat</c> (0xFD 8)</summary>
    V128Load16Splat = 0xFD0008,
    /// <summary><c>v128.load32_splat</c> (0xFD 9)</summary>
    V128Load32Splat = 0xFD0009,
    /// <summary><c>v128.load64_splat</c> (0xFD 10)</summary>
    V128Load64Splat = 0xFD000A,
    /// <summary><c>v128.store</c> (0xFD 11)</summary>
    V128Store = 0xFD000B,
    /// <summary><c>v128.const</c> (0xFD 12)</summary>
    V128Const = 0xFD000C,
    /// <summary><c>i8x16.shuffle</c> (0xFD 13)</summary>
    I8x16Shuffle = 0xFD000D,
    /// <summary><c>i8x16.swizzle</c> (0xFD 14)</summary>
    I8x16Swizzle = 0xFD000E,
    /// <summary><c>i8x16.splat</c> (0xFD 15)</summary>
    I8x16Splat = 0xFD000F,
    /// <summary><c>i16x8.splat</c> (0xFD 16)</summary>
    I16x8Splat = 0xFD0010,
    /// <summary><c>i32x4.splat</c> (0xFD 17)</summary>
    I32x4Splat = 0xFD0011,
    /// <summary><c>i64x2.splat</c> (0xFD 18)</summary>
    I64x2Splat = 0xFD0012,
    /// <summary><c>f32x4.splat</c> (0xFD 19)</summary>
    F32x4Splat = 0xFD0013,
    /// <summary><c>f64x2.splat</c> (0xFD 20)</summary>
    F64x2Splat = 0xFD0014,
    /// <summary><c>i8x16.extract_lane_s</c> (0xFD 21)</summary>
    I8x16ExtractLaneS = 0xFD0015,
    /// <summary><c>i8x16.extract_lane_u</c> (0xFD 22)</summary>
    I8x16ExtractLaneU = 0xFD0016,
    /// <summary><c>i8x16.replace_lane</c> (0xFD 23)</summary>
    I8x16ReplaceLane = 0xFD0017,
    /// <summary><c>i16x8.extract_lane_s</c> (0xFD 24)</summary>
    I16x8ExtractLaneS = 0xFD0018,
    /// <summary><c>i16x8.extract_lane_u</c> (0xFD 25)</summary>
    I16x8ExtractLaneU = 0xFD0019,
    /// <summary><c>i16x8.replace_lane</c> (0xFD 26)</summary>
    I16x8ReplaceLane = 0xFD001A,
    /// <summary><c>i32x4.extract_lane</c> (0xFD 27)</summary>
    I32x4ExtractLane = 0xFD001B,
    /// <summary><c>i32x4.replace_lane</c> (0xFD 28)</summary>
    I32x4ReplaceLane = 0xFD001C,
    /// <summary><c>i64x2.extract_lane</c> (0xFD 29)</summary>
    I64x2ExtractLane = 0xFD001D,
    /// <summary><c>i64x2.replace_lane</c> (0xFD 30)</summary>
    I64x2ReplaceLane = 0xFD001E,
    /// <summary><c>f32x4.extract_lane</c> (0xFD 31)</summary>
    F32x4ExtractLane = 0xFD001F,
    /// <summary><c>f32x4.replace_lane</c> (0xFD 32)</summary>
    F32x4ReplaceLane = 0xFD0020,
    /// <summary><c>f64x2.extract_lane</c> (0xFD 33)</summary>
    F64x2ExtractLane = 0xFD0021,
    /// <summary><c>f64x2.replace_lane</c> (0xFD 34)</summary>
    F64x2ReplaceLane = 0xFD0022,
    /// <summary><c>i8x16.eq</c> (0xFD 35)</summary>
    I8x16Eq = 0xFD0023,
    /// <summary><c>i8x16.ne</c> (0xFD 36)</summary>
    I8x16Ne = 0xFD0024,
    /// <summary><c>i8x16.lt_s</c> (0xFD 37)</summary>
    I8x16LtS = 0xFD0025,
    /// <summary><c>i8x16.lt_u</c> (0xFD 38)</summary>
    I8x16LtU = 0xFD0026,
    /// <summary><c>i8x16.gt_s</c> (0xFD 39)</summary>
    I8x16GtS = 0xFD0027,
    /// <summary><c>i8x16.gt_u</c> (0xFD 40)</summary>
    I8x16GtU = 0xFD0028,
    /// <summary><c>i8x16.le_s</c> (0xFD 41)</summary>
    I8x16LeS = 0xFD0029,
    /// <summary><c>i8x16.le_u</c> (0xFD 42)</summary>
    I8x16LeU = 0xFD002A,
    /// <summary><c>i8x16.ge_s</c> (0xFD 43)</summary>
    I8x16GeS = 0xFD002B,
    /// <summary><c>i8x16.ge_u</c> (0xFD 44)</summary>
    I8x16GeU = 0xFD002C,
    /// <summary><c>i16x8.eq</c> (0xFD 45)</summary>
    I16x8Eq = 0xFD002D,
    /// <summary><c>i16x8.ne</c> (0xFD 46)</summary>
    I16x8Ne = 0xFD002E,
    /// <summary><c>i16x8.lt_s</c> (0xFD 47)</summary>
    I16x8LtS = 0xFD002F,
    /// <summary><c>i16x8.lt_u</c> (0xFD 48)</summary>
    I16x8LtU = 0xFD0030,
    /// <summary><c>i16x8.gt_s</c> (0xFD 49)</summary>
    I16x8GtS = 0xFD0031,
    /// <summary><c>i16x8.gt_u</c> (0xFD 50)</summary>
    I16x8GtU = 0xFD0032,
    /// <summary><c>i16x8.le_s</c> (0xFD 51)</summary>
    I16x8LeS = 0xFD0033,
    /// <summary><c>i16x8.le_u</c> (0xFD 52)</summary>
    I16x8LeU = 0xFD0034,
    /// <summary><c>i16x8.ge_s</c> (0xFD 53)</summary>
    I16x8GeS = 0xFD0035,
    /// <summary><c>i16x8.ge_u</c> (0xFD 54)</summary>
    I16x8GeU = 0xFD0036,
    /// <summary><c>i32x4.eq</c> (0xFD 55)</summary>
    I32x4Eq = 0xFD0037,
    /// <summary><c>i32x4.ne</c> (0xFD 56)</summary>
    I32x4Ne = 0xFD0038,
    /// <summary><c>i32x4.lt_s</c> (0xFD 57)</summary>
    I32x4LtS = 0xFD0039,
    /// <summary><c>i32x4.lt_u</c> (0xFD 58)</summary>
    I32x4LtU = 0xFD003A,
    /// <summary><c>i32x4.gt_s</c> (0xFD 59)</summary>
    I32x4GtS = 0xFD003B,
    /// <summary><c>i32x4.gt_u</c> (0xFD 60)</summary>
    I32x4GtU = 0xFD003C,
    /// <summary><c>i32x4.le_s</c> (0xFD 61)</summary>
    I32x4LeS = 0xFD003D,
    /// <summary><c>i32x4.le_u</c> (0xFD 62)</summary>
    I32x4LeU = 0xFD003E,
    /// <summary><c>i32x4.ge_s</c> (0xFD 63)</summary>
    I32x4GeS = 0xFD003F,
    /// <summary><c>i32x4.ge_u</c> (0xFD 64)</summary>
    I32x4GeU = 0xFD0040,
    /// <summary><c>f32x4.eq</c> (0xFD 65)</summary>
    F32x4Eq = 0xFD0041,
    /// <summary><c>f32x4.ne</c> (0xFD 66)</summary>
    F32x4Ne = 0xFD0042,
    /// <summary><c>f32x4.lt</c> (0xFD 67)</summary>
    F32x4Lt = 0xFD0043,
    /// <summary><c>f32x4.gt</c> (0xFD 68)</summary>
    F32x4Gt = 0xFD0044,
    /// <summary><c>f32x4.le</c> (0xFD 69)</summary>
    F32x4Le = 0xFD0045,
    /// <summary><c>f32x4.ge</c> (0xFD 70)</summary>
    F32x4Ge = 0xFD0046,
    /// <summary><c>f64x2.eq</c> (0xFD 71)</summary>
    F64x2Eq = 0xFD0047,
    /// <summary><c>f64x2.ne</c> (0xFD 72)</summary>
    F64x2Ne = 0xFD0048,
    /// <summary><c>f64x2.lt</c> (0xFD 73)</summary>
    F64x2Lt = 0xFD0049,
    /// <summary><c>f64x2.gt</c> (0xFD 74)</summary>
    F64x2Gt = 0xFD004A,
    /// <summary><c>f64x2.le</c> (0xFD 75)</summary>
    F64x2Le = 0xFD004B,
    /// <summary><c>f64x2.ge</c> (0xFD 76)</summary>
    F64x2Ge = 0xFD004C,
    /// <summary><c>v128.not</c> (0xFD 77)</summary>
    V128Not = 0xFD004D,
    /// <summary><c>v128.and</c> (0xFD 78)</summary>
    V128And = 0xFD004E,
    /// <summary><c>v128.andnot</c> (0xFD 79)</summary>
    V128Andnot = 0xFD004F,
    /// <summary><c>v128.or</c> (0xFD 80)</summary>
    V128Or = 0xFD0050,
    /// <summary><c>v128.xor</c> (0xFD 81)</summary>
    V128Xor = 0xFD0051,
    /// <summary><c>v128.bitselect</c> (0xFD 82)</summary>
    V128Bitselect = 0xFD0052,
    /// <summary><c>v128.any_true</c> (0xFD 83)</summary>
    V128AnyTrue = 0xFD0053,
    /// <summary><c>v128.load8_lane</c> (0xFD 84)</summary>
    V128Load8Lane = 0xFD0054,
    /// <summary><c>v128.load16_lane</c> (0xFD 85)</summary>
    V128Load16Lane = 0xFD0055,
    /// <summary><c>v128.load32_lane</c> (0xFD 86)</summary>
    V128Load32Lane = 0xFD0056,
    /// <summary><c>v128.load64_lane</c> (0xFD 87)</summary>
    V128Load64Lane = 0xFD0057,
    /// <summary><c>v128.store8_lane</c> (0xFD 88)</summary>
    V128Store8Lane = 0xFD0058,
    /// <summary><c>v128.store16_lane</c> (0xFD 89)</summary>
    V128Store16Lane = 0xFD0059,
    /// <summary><c>v128.store32_lane</c> (0xFD 90)</summary>
    V128Store32Lane = 0xFD005A,
    /// <summary><c>v128.store64_lane</c> (0xFD 91)</summary>
    V128Store64Lane = 0xFD005B,
    /// <summary><c>v128.load32_zero</c> (0xFD 92)</summary>
    V128Load32Zero = 0xFD005C,
    /// <summary><c>v128.load64_zero</c> (0xFD 93)</summary>
    V128Load64Zero = 0xFD005D,
    /// <summary><c>f32x4.demote_f64x2_zero</c> (0xFD 94)</summary>
    F32x4DemoteF64x2Zero = 0xFD005E,
    /// <summary><c>f64x2.promote_low_f32x4</c> (0xFD 95)</summary>
    F64x2PromoteLowF32x4 = 0xFD005F,
    /// <summary><c>i8x16.abs</c> (0xFD 96)</summary>
    I8x16Abs = 0xFD0060,
    /// <summary><c>i8x16.neg</c> (0xFD 97)</summary>
    I8x16Neg = 0xFD0061,
    /// <summary><c>i8x16.popcnt</c> (0xFD 98)</summary>
    I8x16Popcnt = 0xFD0062,
    /// <summary><c>i8x16.all_true</c> (0xFD 99)</summary>
    I8x16AllTrue = 0xFD0063,
    /// <summary><c>i8x16.bitmask</c> (0xFD 100)</summary>
    I8x16Bitmask = 0xFD0064,
    /// <summary><c>i8x16.narrow_i16x8_s</c> (0xFD 101)</summary>
    I8x16NarrowI16x8S = 0xFD0065,
    /// <summary><c>i8x16.narrow_i16x8_u</c> (0xFD 102)</summary>
    I8x16NarrowI16x8U = 0xFD0066,
    /// <summary><c>f32x4.ceil</c> (0xFD 103)</summary>
    F32x4Ceil = 0xFD0067,
    /// <summary><c>f32x4.floor</c> (0xFD 104)</summary>
    F32x4Floor = 0xFD0068,
    /// <summary><c>f32x4.trunc</c> (0xFD 105)</summary>
    F32x4Trunc = 0xFD0069,
    /// <summary><c>f32x4.nearest</c> (0xFD 106)</summary>
    F32x4Nearest = 0xFD006A,
    /// <summary><c>i8x16.shl</c> (0xFD 107)</summary>
    I8x16Shl = 0xFD006B,
    /// <summary><c>i8x16.shr_s</c> (0xFD 108)</summary>
    I8x16ShrS = 0xFD006C,
    /// <summary><c>i8x16.shr_u</c> (0xFD 109)</summary>
    I8x16ShrU = 0xFD006D,
    /// <summary><c>i8x16.add</c> (0xFD 110)</summary>
    I8x16Add = 0xFD006E,
    /// <summary><c>i8x16.add_sat_s</c> (0xFD 111)</summary>
    I8x16AddSatS = 0xFD006F,
    /// <summary><c>i8x16.add_sat_u</c> (0xFD 112)</summary>
    I8x16AddSatU = 0xFD0070,
    /// <summary><c>i8x16.sub</c> (0xFD 113)</summary>
    I8x16Sub = 0xFD0071,
    /// <summary><c>i8x16.sub_sat_s</c> (0xFD 114)</summary>
    I8x16SubSatS = 0xFD0072,
    /// <summary><c>i8x16.sub_sat_u</c> (0xFD 115)</summary>
    I8x16SubSatU = 0xFD0073,
    /// <summary><c>f64x2.ceil</c> (0xFD 116)</summary>
    F64x2Ceil = 0xFD0074,
    /// <summary><c>f64x2.floor</c> (0xFD 117)</summary>
    F64x2Floor = 0xFD0075,
    /// <summary><c>i8x16.min_s</c> (0xFD 118)</summary>
    I8x16MinS = 0xFD0076,
    /// <summary><c>i8x16.min_u</c> (0xFD 119)</summary>
    I8x16MinU = 0xFD0077,
    /// <summary><c>i8x16.max_s</c> (0xFD 120)</summary>
    I8x16MaxS = 0xFD0078,
    /// <summary><c>i8x16.max_u</c> (0xFD 121)</summary>
    I8x16MaxU = 0xFD0079,
    /// <summary><c>f64x2.trunc</c> (0xFD 122)</summary>
    F64x2Trunc = 0xFD007A,
    /// <summary><c>i8x16.avgr_u</c> (0xFD 123)</summary>
    I8x16AvgrU = 0xFD007B,
    /// <summary><c>i16x8.extadd_pairwise_i8x16_s</c> (0xFD 124)</summary>
    I16x8ExtaddPairwiseI8x16S = 0xFD007C,
    /// <summary><c>i16x8.extadd_pairwise_i8x16_u</c> (0xFD 125)</summary>
    I16x8ExtaddPairwiseI8x16U = 0xFD007D,
    /// <summary><c>i32x4.extadd_pairwise_i16x8_s</c> (0xFD 126)</summary>
    I32x4ExtaddPairwiseI16x8S = 0xFD007E,
    /// <summary><c>i32x4.extadd_pairwise_i16x8_u</c> (0xFD 127)</summary>
    I32x4ExtaddPairwiseI16x8U = 0xFD007F,
    /// <summary><c>i16x8.abs</c> (0xFD 128)</summary>
    I16x8Abs = 0xFD0080,
    /// <summary><c>i16x8.neg</c> (0xFD 129)</summary>
    I16x8Neg = 0xFD0081,
    /// <summary><c>i16x8.q15mulr_sat_s</c> (0xFD 130)</summary>
    I16x8Q15mulrSatS = 0xFD0082,
    /// <summary><c>i16x8.all_true</c> (0xFD 131)</summary>
    I16x8AllTrue = 0xFD0083,
    /// <summary><c>i16x8.bitmask</c> (0xFD 132)</summary>
    I16x8Bitmask = 0xFD0084,
    /// <summary><c>i16x8.narrow_i32x4_s</c> (0xFD 133)</summary>
    I16x8NarrowI32x4S = 0xFD0085,
    /// <summary><c>i16x8.narrow_i32x4_u</c> (0xFD 134)</summary>
    I16x8NarrowI32x4U = 0xFD0086,
    /// <summary><c>i16x8.extend_low_i8x16_s</c> (0xFD 135)</summary>
    I16x8ExtendLowI8x16S = 0xFD0087,
    /// <summary><c>i16x8.extend_high_i8x16_s</c> (0xFD 136)</summary>
    I16x8ExtendHighI8x16S = 0xFD0088,
    /// <summary><c>i16x8.extend_low_i8x16_u</c> (0xFD 137)</summary>
    I16x8ExtendLowI8x16U = 0xFD0089,
    /// <summary><c>i16x8.extend_high_i8x16_u</c> (0xFD 138)</summary>
    I16x8ExtendHighI8x16U = 0xFD008A,
    /// <summary><c>i16x8.shl</c> (0xFD 139)</summary>
    I16x8Shl = 0xFD008B,
    /// <summary><c>i16x8.shr_s</c> (0xFD 140)</summary>
    I16x8ShrS = 0xFD008C,
    /// <summary><c>i16x8.shr_u</c> (0xFD 141)</summary>
    I16x8ShrU = 0xFD008D,
    /// <summary><c>i16x8.add</c> (0xFD 142)</summary>
    I16x8Add = 0xFD008E,
    /// <summary><c>i16x8.add_sat_s</c> (0xFD 143)</summary>
    I16x8AddSatS = 0xFD008F,
    /// <summary><c>i16x8.add_sat_u</c> (0xFD 144)</summary>
    I16x8AddSatU = 0xFD0090,
    /// <summary><c>i16x8.sub</c> (0xFD 145)</summary>
    I16x8Sub = 0xFD0091,
    /// <summary><c>i16x8.sub_sat_s</c> (0xFD 146)</summary>
    I16x8SubSatS = 0xFD0092,
    /// <summary><c>i16x8.sub_sat_u</c> (0xFD 147)</summary>
    I16x8SubSatU = 0xFD0093,
    /// <summary><c>f64x2.nearest</c> (0xFD 148)</summary>
    F64x2Nearest = 0xFD0094,
    /// <summary><c>i16x8.mul</c> (0xFD 149)</summary>
    I16x8Mul = 0xFD0095,
    /// <summary><c>i16x8.min_s</c> (0xFD 150)</summary>
    I16x8MinS = 0xFD0096,
    /// <summary><c>i16x8.min_u</c> (0xFD 151)</summary>
    I16x8MinU = 0xFD0097,
    /// <summary><c>i16x8.max_s</c> (0xFD 152)</summary>
    I16x8MaxS = 0xFD0098,
    /// <summary><c>i16x8.max_u</c> (0xFD 153)</summary>
    I16x8MaxU = 0xFD0099,
    /// <summary><c>i16x8.avgr_u</c> (0xFD 155)</summary>
    I16x8AvgrU = 0xFD009B,
    /// <summary><c>i16x8.extmul_low_i8x16_s</c> (0xFD 156)</summary>
    I16x8ExtmulLowI8x16S = 0xFD009C,
    /// <summary><c>i16x8.extmul_high_i8x16_s</c> (0xFD 157)</summary>
    I16x8ExtmulHighI8x16S = 0xFD009D,
    /// <summary><c>i16x8.extmul_low_i8x16_u</c> (0xFD 158)</summary>
    I16x8ExtmulLowI8x16U = 0xFD009E,
    /// <summary><c>i16x8.extmul_high_i8x16_u</c> (0xFD 159)</summary>
    I16x8ExtmulHighI8x16U = 0xFD009F,
    /// <summary><c>i32x4.abs</c> (0xFD 160)</summary>
    I32x4Abs = 0xFD00A0,
    /// <summary><c>i32x4.neg</c> (0xFD 161)</summary>
    I32x4Neg = 0xFD00A1,
    /// <summary><c>i32x4.all_true</c> (0xFD 163)</summary>
    I32x4AllTrue = 0xFD00A3,
    /// <summary><c>i32x4.bitmask</c> (0xFD 164)</summary>
    I32x4Bitmask = 0xFD00A4,
    /// <summary><c>i32x4.extend_low_i16x8_s</c> (0xFD 167)</summary>
    I32x4ExtendLowI16x8S = 0xFD00A7,
    /// <summary><c>i32x4.extend_high_i16x8_s</c> (0xFD 168)</summary>
    I32x4ExtendHighI16x8S = 0xFD00A8,
    /// <summary><c>i32x4.extend_low_i16x8_u</c> (0xFD 169)</summary>
    I32x4ExtendLowI16x8U = 0xFD00A9,
    /// <summary><c>i32x4.extend_high_i16x8_u</c> (0xFD 170)</summary>
    I32x4ExtendHighI16x8U = 0xFD00AA,
    /// <summary><c>i32x4.shl</c> (0xFD 171)</summary>
    I32x4Shl = 0xFD00AB,
    /// <summary><c>i32x4.shr_s</c> (0xFD 172)</summary>
    I32x4ShrS = 0xFD00AC,
    /// <summary><c>i32x4.shr_u</c> (0xFD 173)</summary>
    I32x4ShrU = 0xFD00AD,
    /// <summary><c>i32x4.add</c> (0xFD 174)</summary>
    I32x4Add = 0xFD00AE,
    /// <summary><c>i32x4.sub</c> (0xFD 177)</summary>
    I32x4Sub = 0xFD00B1,
    /// <summary><c>i32x4.mul</c> (0xFD 181)</summary>
    I32x4Mul = 0xFD00B5,
    /// <summary><c>i32x4.min_s</c> (0xFD 182)</summary>
    I32x4MinS = 0xFD00B6,
    /// <summary><c>i32x4.min_u</c> (0xFD 183)</summary>
    I32x4MinU = 0xFD00B7,
    /// <summary><c>i32x4.max_s</c> (0xFD 184)</summary>
    I32x4MaxS = 0xFD00B8,
    /// <summary><c>i32x4.max_u</c> (0xFD 185)</summary>
    I32x4MaxU = 0xFD00B9,
    /// <summary><c>i32x4.dot_i16x8_s</c> (0xFD 186)</summary>
    I32x4DotI16x8S = 0xFD00BA,
    /// <summary><c>i32x4.extmul_low_i16x8_s</c> (0xFD 188)</summary>
    I32x4ExtmulLowI16x8S = 0xFD00BC,
    /// <summary><c>i32x4.extmul_high_i16x8_s</c> (0xFD 189)</summary>
    I32x4ExtmulHighI16x8S = 0xFD00BD,
    /// <summary><c>i32x4.extmul_low_i16x8_u</c> (0xFD 190)</summary>
    I32x4ExtmulLowI16x8U = 0xFD00BE,
    /// <summary><c>i32x4.extmul_high_i16x8_u</c> (0xFD 191)</summary>
    I32x4ExtmulHighI16x8U = 0xFD00BF,
    /// <summary><c>i64x2.abs</c> (0xFD 192)</summary>
    I64x2Abs = 0xFD00C0,
    /// <summary><c>i64x2.neg</c> (0xFD 193)</summary>
    I64x2Neg = 0xFD00C1,
    /// <summary><c>i64x2.all_true</c> (0xFD 195)</summary>
    I64x2AllTrue = 0xFD00C3,
    /// <summary><c>i64x2.bitmask</c> (0xFD 196)</summary>
    I64x2Bitmask = 0xFD00C4,
    /// <summary><c>i64x2.extend_low_i32x4_s</c> (0xFD 199)</summary>
    I64x2ExtendLowI32x4S = 0xFD00C7,
    /// <summary><c>i64x2.extend_high_i32x4_s</c> (0xFD 200)</summary>
    I64x2ExtendHighI32x4S = 0xFD00C8,
    /// <summary><c>i64x2.extend_low_i32x4_u</c> (0xFD 201)</summary>
    I64x2ExtendLowI32x4U = 0xFD00C9,
    /// <summary><c>i64x2.extend_high_i32x4_u</c> (0xFD 202)</summary>
    I64x2ExtendHighI32x4U = 0xFD00CA,
    /// <summary><c>i64x2.shl</c> (0xFD 203)</summary>
    I64x2Shl = 0xFD00CB,
    /// <summary><c>i64x2.shr_s</c> (0xFD 204)</summary>
    I64x2ShrS = 0xFD00CC,
    /// <summary><c>i64x2.shr_u</c> (0xFD 205)</summary>
    I64x2ShrU = 0xFD00CD,
    /// <summary><c>i64x2.add</c> (0xFD 206)</summary>
    I64x2Add = 0xFD00CE,
    /// <summary><c>i64x2.sub</c> (0xFD 209)</summary>
    I64x2Sub = 0xFD00D1,
    /// <summary><c>i64x2.mul</c> (0xFD 213)</summary>
    I64x2Mul = 0xFD00D5,
    /// <summary><c>i64x2.eq</c> (0xFD 214)</summary>
    I64x2Eq = 0xFD00D6,
    /// <summary><c>i64x2.ne</c> (0xFD 215)</summary>
    I64x2Ne = 0xFD00D7,
    /// <summary><c>i64x2.lt_s</c> (0xFD 216)</summary>
    I64x2LtS = 0xFD00D8,
    /// <summary><c>i64x2.gt_s</c> (0xFD 217)</summary>
    I64x2GtS = 0xFD00D9,
    /// <summary><c>i64x2.le_s</c> (0xFD 218)</summary>
    I64x2LeS = 0xFD00DA,
    /// <summary><c>i64x2.ge_s</c> (0xFD 219)</summary>
    I64x2GeS = 0xFD00DB,
    /// <summary><c>i64x2.extmul_low_i32x4_s</c> (0xFD 220)</summary>
    I64x2ExtmulLowI32x4S = 0xFD00DC,
    /// <summary><c>i64x2.extmul_high_i32x4_s</c> (0xFD 221)</summary>
    I64x2ExtmulHighI32x4S = 0xFD00DD,
    /// <summary><c>i64x2.extmul_low_i32x4_u</c> (0xFD 222)</summary>
    I64x2ExtmulLowI32x4U = 0xFD00DE,
    /// <summary><c>i64x2.extmul_high_i32x4_u</c> (0xFD 223)</summary>
    I64x2ExtmulHighI32x4U = 0xFD00DF,
    /// <summary><c>f32x4.abs</c> (0xFD 224)</summary>
    F32x4Abs = 0xFD00E0,
    /// <summary><c>f32x4.neg</c> (0xFD 225)</summary>
    F32x4Neg = 0xFD00E1,
    /// <summary><c>f32x4.sqrt</c> (0xFD 227)</summary>
    F32x4Sqrt = 0xFD00E3,
    /// <summary><c>f32x4.add</c> (0xFD 228)</summary>
    F32x4Add = 0xFD00E4,
    /// <summary><c>f32x4.sub</c> (0xFD 229)</summary>
    F32x4Sub = 0xFD00E5,
    /// <summary><c>f32x4.mul</c> (0xFD 230)</summary>
    F32x4Mul = 0xFD00E6,
    /// <summary><c>f32x4.div</c> (0xFD 231)</summary>
    F32x4Div = 0xFD00E7,
    /// <summary><c>f32x4.min</c> (0xFD 232)</summary>
    F32x4Min = 0xFD00E8,
    /// <summary><c>f32x4.max</c> (0xFD 233)</summary>
    F32x4Max = 0xFD00E9,
    /// <summary><c>f32x4.pmin</c> (0xFD 234)</summary>
    F32x4Pmin = 0xFD00EA,
    /// <summary><c>f32x4.pmax</c> (0xFD 235)</summary>
    F32x4Pmax = 0xFD00EB,
    /// <summary><c>f64x2.abs</c> (0xFD 236)</summary>
    F64x2Abs = 0xFD00EC,
    /// <summary><c>f64x2.neg</c> (0xFD 237)</summary>
    F64x2Neg = 0xFD00ED,
    /// <summary><c>f64x2.sqrt</c> (0xFD 239)</summary>
    F64x2Sqrt = 0xFD00EF,
    /// <summary><c>f64x2.add</c> (0xFD 240)</summary>
    F64x2Add = 0xFD00F0,
    /// <summary><c>f64x2.sub</c> (0xFD 241)</summary>
    F64x2Sub = 0xFD00F1,
    /// <summary><c>f64x2.mul</c> (0xFD 242)</summary>
    F64x2Mul = 0xFD00F2,
    /// <summary><c>f64x2.div</c> (0xFD 243)</summary>
    F64x2Div = 0xFD00F3,
    /// <summary><c>f64x2.min</c> (0xFD 244)</summary>
    F64x2Min = 0xFD00F4,
    /// <summary><c>f64x2.max</c> (0xFD 245)</summary>
    F64x2Max = 0xFD00F5,
    /// <summary><c>f64x2.pmin</c> (0xFD 246)</summary>
    F64x2Pmin = 0xFD00F6,
    /// <summary><c>f64x2.pmax</c> (0xFD 247)</summary>
    F64x2Pmax = 0xFD00F7,
    /// <summary><c>i32x4.trunc_sat_f32x4_s</c> (0xFD 248)</summary>
    I32x4TruncSatF32x4S = 0xFD00F8,
    /// <summary><c>i32x4.trunc_sat_f32x4_u</c> (0xFD 249)</summary>
    I32x4TruncSatF32x4U = 0xFD00F9,
    /// <summary><c>f32x4.convert_i32x4_s</c> (0xFD 250)</summary>
    F32x4ConvertI32x4S = 0xFD00FA,
    /// <summary><c>f32x4.convert_i32x4_u</c> (0xFD 251)</summary>
    F32x4ConvertI32x4U = 0xFD00FB,
    /// <summary><c>i32x4.trunc_sat_f64x2_s_zero</c> (0xFD 252)</summary>
    I32x4TruncSatF64x2SZero = 0xFD00FC,
    /// <summary><c>i32x4.trunc_sat_f64x2_u_zero</c> (0xFD 253)</summary>
    I32x4TruncSatF64x2UZero = 0xFD00FD,
    /// <summary><c>f64x2.convert_low_i32x4_s</c> (0xFD 254)</summary>
    F64x2ConvertLowI32x4S = 0xFD00FE,
    /// <summary><c>f64x2.convert_low_i32x4_u</c> (0xFD 255)</summary>
    F64x2ConvertLowI32x4U = 0xFD00FF,
}
