namespace WasmKube.Operator.Controllers;

/// <summary>Why a workload cannot be realised as written: a CamelCase reason and a message saying what to fix.</summary>
public sealed record SpecProblem(string Reason, string Message);
