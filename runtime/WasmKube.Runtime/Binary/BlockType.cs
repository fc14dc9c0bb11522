namespace WasmKube.Runtime.Binary;

/// <summary>
/// The type of a <c>block</c>, <c>loop</c> or <c>if</c> (spec §5.4.1): no values, a single result value type, or a
/// function type index giving both parameters and results (multi-value).
/// </summary>
/// <param name="IsTypeIndex">True when <see cref="TypeIndex"/> names a function type.</param>
/// <param name="Result">The single result type when not a type index; null for the empty block type.</param>
/// <param name="TypeIndex">The function type index when <see cref="IsTypeIndex"/> is true.</param>
public readonly record struct BlockType(bool IsTypeIndex, ValueType? Result, uint TypeIndex)
{
    public static BlockType Empty => default;

    public static BlockType Of(ValueType result) => new(false, result, 0);

    public static BlockType OfTypeIndex(uint typeIndex) => new(true, null, typeIndex);
}
