using WasmKube.Runtime.Execution;

namespace WasmKube.Runtime;

/// <summary>A host function body for <see cref="Func(Store, FunctionType, HostFunctionCallback)"/>.</summary>
public delegate void HostFunctionCallback(Caller caller, ReadOnlySpan<Value> arguments, Span<Value> results);

/// <summary>
/// A function: exported by an instance, or defined by the host. A funcref value is a <see cref="Func"/> or null.
/// Host functions may throw <see cref="TrapException"/> to trap the guest; any other exception becomes a
/// <see cref="TrapKind.HostError"/> trap carrying it as inner exception, except <see cref="ExitException"/>, which
/// passes through (WASI proc_exit).
/// </summary>
/// <remarks>
/// Every function is callable through <see cref="Invoker"/>, a System.Func/Action delegate of its signature
/// (see <see cref="ClrTypes"/>): compiled code calls tables and imports through it without boxing.
/// </remarks>
public sealed class Func
{
    internal readonly Delegate Invoker;
    internal readonly int TypeId;
    internal readonly HostFunction? Host;

    // For functions defined by a module: the instance state and the index in the module's function index space.
    internal readonly InstanceContext? Owner;
    internal readonly uint Index;

    /// <summary>A host function with an untyped body.</summary>
    public Func(Store store, FunctionType type, HostFunctionCallback callback)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        Store = store;
        Type = type;
        TypeId = TypeRegistry.IdOf(type);
        Host = HostFunction.Untyped(type, callback);
        Invoker = Host.CreateInvoker(store, null);
    }

    private Func(Store store, HostFunction host)
    {
        Store = store;
        Type = host.Type;
        TypeId = TypeRegistry.IdOf(host.Type);
        Host = host;
        Invoker = host.CreateInvoker(store, null);
    }

    internal Func(Store store, FunctionType type, int typeId, Delegate invoker, InstanceContext owner, uint index)
    {
        Store = store;
        Type = type;
        TypeId = typeId;
        Invoker = invoker;
        Owner = owner;
        Index = index;
    }

    /// <summary>
    /// A host function from a typed delegate: parameters and return of int, long, float, double,
    /// <see cref="System.Runtime.Intrinsics.Vector128{T}"/> of byte, <see cref="Func"/> (funcref) or object (externref);
    /// an optional first parameter of type <see cref="Caller"/>; several results as a ValueTuple.
    /// Called from wasm without boxing.
    /// </summary>
    public static Func Wrap(Store store, Delegate function)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(function);
        return new Func(store, HostFunction.Typed(function));
    }

    public FunctionType Type { get; }

    public Store Store { get; }

    /// <summary>The delegate compiled code of <paramref name="caller"/> uses to call this function as an import.</summary>
    internal Delegate InvokerFor(Store store, Instance caller) => Host is null ? Invoker : Host.CreateInvoker(store, caller);

    /// <summary>Calls the function. Traps surface as <see cref="TrapException"/>.</summary>
    public Value[] Invoke(params ReadOnlySpan<Value> arguments)
    {
        var parameters = Type.Parameters;
        if (arguments.Length != parameters.Length)
        {
            throw new ArgumentException($"the function takes {parameters.Length} arguments {Type}, got {arguments.Length}", nameof(arguments));
        }

        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i].Type != parameters[i])
            {
                throw new ArgumentException($"argument {i} must be {parameters[i]}, got {arguments[i].Type} (signature {Type})", nameof(arguments));
            }
        }

        var results = new Value[Type.Results.Length];
        Invocation.Run(this, arguments.ToArray(), results);
        return results;
    }
}

/// <summary>Thrown by a host function to end the guest with an exit code (WASI proc_exit); not a trap.</summary>
public sealed class ExitException : Exception
{
    public ExitException(int exitCode)
        : base($"guest exited with code {exitCode}") => ExitCode = exitCode;

    public int ExitCode { get; }
}
