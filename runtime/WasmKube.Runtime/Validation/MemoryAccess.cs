using WasmKube.Runtime.Binary;

namespace WasmKube.Runtime.Validation;

/// <summary>
/// What a load or store moves (spec §3.3.7): the stack value type, the natural alignment (log2 of the access size),
/// whether it stores, and for the lane forms the number of lanes.
/// </summary>
internal readonly record struct MemoryAccess(ValueType ValueType, uint NaturalAlignment, bool IsStore, byte Lanes)
{
    public bool IsDefined => ValueType != 0;

    public static MemoryAccess Of(Opcode opcode) => opcode switch
    {
        Opcode.I32Load => new(ValueType.I32, 2, false, 0),
        Opcode.I64Load => new(ValueType.I64, 3, false, 0),
        Opcode.F32Load => new(ValueType.F32, 2, false, 0),
        Opcode.F64Load => new(ValueType.F64, 3, false, 0),
        Opcode.I32Load8S or Opcode.I32Load8U => new(ValueType.I32, 0, false, 0),
        Opcode.I32Load16S or Opcode.I32Load16U => new(ValueType.I32, 1, false, 0),
        Opcode.I64Load8S or Opcode.I64Load8U => new(ValueType.I64, 0, false, 0),
        Opcode.I64Load16S or Opcode.I64Load16U => new(ValueType.I64, 1, false, 0),
        Opcode.I64Load32S or Opcode.I64Load32U => new(ValueType.I64, 2, false, 0),
        Opcode.I32Store => new(ValueType.I32, 2, true, 0),
        Opcode.I64Store => new(ValueType.I64, 3, true, 0),
        Opcode.F32Store => new(ValueType.F32, 2, true, 0),
        Opcode.F64Store => new(ValueType.F64, 3, true, 0),
        Opcode.I32Store8 => new(ValueType.I32, 0, true, 0),
        Opcode.I32Store16 => new(ValueType.I32, 1, true, 0),
        Opcode.I64Store8 => new(ValueType.I64, 0, true, 0),
        Opcode.I64Store16 => new(ValueType.I64, 1, true, 0),
        Opcode.I64Store32 => new(ValueType.I64, 2, true, 0),
        Opcode.V128Load => new(ValueType.V128, 4, false, 0),
        Opcode.V128Load8x8S or Opcode.V128Load8x8U or Opcode.V128Load16x4S or Opcode.V128Load16x4U
            or Opcode.V128Load32x2S or Opcode.V128Load32x2U => new(ValueType.V128, 3, false, 0),
        Opcode.V128Load8Splat => new(ValueType.V128, 0, false, 0),
        Opcode.V128Load16Splat => new(ValueType.V128, 1, false, 0),
        Opcode.V128Load32Splat or Opcode.V128Load32Zero => new(ValueType.V128, 2, false, 0),
        Opcode.V128Load64Splat or Opcode.V128Load64Zero => new(ValueType.V128, 3, false, 0),
        Opcode.V128Store => new(ValueType.V128, 4, true, 0),
        Opcode.V128Load8Lane => new(ValueType.V128, 0, false, 16),
        Opcode.V128Load16Lane => new(ValueType.V128, 1, false, 8),
        Opcode.V128Load32Lane => new(ValueType.V128, 2, false, 4),
        Opcode.V128Load64Lane => new(ValueType.V128, 3, false, 2),
        Opcode.V128Store8Lane => new(ValueType.V128, 0, true, 16),
        Opcode.V128Store16Lane => new(ValueType.V128, 1, true, 8),
        Opcode.V128Store32Lane => new(ValueType.V128, 2, true, 4),
        Opcode.V128Store64Lane => new(ValueType.V128, 3, true, 2),
        _ => default,
    };
}
