namespace WasmKube.Operator.Controllers;

/// <summary>Condition types of a WasmWorkload (the Ready / Progressing / Degraded trio of the operator pattern).</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
}
