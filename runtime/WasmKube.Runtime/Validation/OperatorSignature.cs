namespace WasmKube.Runtime.Validation;

/// <summary>
/// The stack effect of a plain operator with no immediates to check: up to three operands popped (first pushed
/// first) and at most one result. A zero <see cref="ValueType"/> means "none".
/// </summary>
internal readonly record struct OperatorSignature(byte OperandCount, ValueType First, ValueType Second, ValueType Third, ValueType Result)
{
    public bool IsDefined => OperandCount != 0 || Result != 0;

    public static OperatorSignature Unary(ValueType operand, ValueType result) => new(1, operand, 0, 0, result);

    public static OperatorSignature Binary(ValueType operand, ValueType result) => new(2, operand, operand, 0, result);
}
