namespace WasmKube.Runtime.Execution;

/// <summary>
/// How functions of more than 16 parameters (more than System.Func takes) are called through a <see cref="Func"/>:
/// arguments and results as <see cref="Value"/> arrays. Direct calls between compiled functions stay typed.
/// </summary>
internal delegate void WideInvoker(Value[] arguments, Value[] results);
