using System.Collections.Immutable;

namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// A value of a wast2json script: <see cref="Type"/> is i32/i64/f32/f64/v128/funcref/externref. Scalars have one
/// entry in <see cref="Lanes"/> (integers and float bit patterns in decimal, "nan:canonical", "nan:arithmetic",
/// "null", or an externref number); v128 has one per lane of <see cref="LaneType"/>; no entry means "any value" (the
/// result types of assert_trap).
/// </summary>
internal sealed record SpecValue(string Type, string? LaneType, ImmutableArray<string> Lanes)
{
    public override string ToString() => Lanes.IsEmpty
        ? Type
        : Type == "v128" ? $"v128:{LaneType}x[{string.Join(' ', Lanes)}]" : $"{Type}:{Lanes[0]}";
}
