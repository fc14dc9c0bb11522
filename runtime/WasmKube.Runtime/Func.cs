namespace WasmKube.Runtime;

/// <summary>A host function body for <see cref="Func(Store, FunctionType, HostFunctionCallback)"/>.</summary>
public delegate void HostFunctionCallback(Caller caller, ReadOnlySpan<Value> arguments, Span<Value> results);

/// <summary>
/// A function: exported by an instance, or defined by the host. A funcref value is a <see cref="Func"/> or null.
/// Host functions may throw <see cref="TrapException"/> to trap the guest; any other exception becomes a
/// <see cref="TrapKind.HostError"/> trap carrying it as inner exception, except <see cref="ExitException"/>, which
/// passes through (WASI proc_exit).
/// </summary>
public sealed class Func
{
    /// <summary>A host function with an untyped body.</summary>
    public Func(Store store, FunctionType type, HostFunctionCallback callback) => throw new NotImplementedException();

    /// <summary>
    /// A host function from a typed delegate: parameters and return of int, long, float, double,
    /// <see cref="System.Runtime.Intrinsics.Vector128{T}"/> of byte, <see cref="Func"/> (funcref) or object (externref);
    /// an optional first parameter of type <see cref="Caller"/>; several results as a ValueTuple.
    /// Called from wasm without boxing.
    /// </summary>
    public static Func Wrap(Store store, Delegate function) => throw new NotImplementedException();

    public FunctionType Type => throw new NotImplementedException();

    public Store Store => throw new NotImplementedException();

    /// <summary>Calls the function. Traps surface as <see cref="TrapException"/>.</summary>
    public Value[] Invoke(params ReadOnlySpan<Value> arguments) => throw new NotImplementedException();
}

/// <summary>Thrown by a host function to end the guest with an exit code (WASI proc_exit); not a trap.</summary>
public sealed class ExitException : Exception
{
    public ExitException(int exitCode)
        : base($"guest exited with code {exitCode}") => ExitCode = exitCode;

    public int ExitCode { get; }
}
