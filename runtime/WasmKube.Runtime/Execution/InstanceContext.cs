namespace WasmKube.Runtime.Execution;

/// <summary>
/// The state compiled code of one instance works on, passed as the first argument of every compiled function.
/// Fields rather than properties: compiled code loads them directly.
/// </summary>
internal sealed class InstanceContext(Store store, Module module)
{
    public readonly Store Store = store;
    public readonly Module Module = module;
    public Instance? Instance;

    /// <summary>Memory 0, or null when the module has none.</summary>
    public Memory? Memory;
    public Global[] Globals = [];
    public Table[] Tables = [];

    /// <summary>Every function of the function index space (imports first); defined ones are created by <see cref="GetFunction"/>.</summary>
    public Func?[] Functions = [];

    /// <summary>The delegates imported functions are called through, by function index.</summary>
    public Delegate[] ImportInvokers = [];

    /// <summary>Interned ids of the module's types, by type index, for call_indirect's signature check.</summary>
    public int[] TypeIds = [];

    /// <summary>Data segments by index; a dropped segment is empty.</summary>
    public ReadOnlyMemory<byte>[] Data = [];

    /// <summary>Element segments' references by index; a dropped segment is empty.</summary>
    public object?[][] Elements = [];

    /// <summary>The <see cref="Func"/> of function <paramref name="index"/> (ref.func, exports, elements), created once.</summary>
    public Func GetFunction(uint index) => Functions[index] ?? CreateFunction(index);

    private Func CreateFunction(uint index)
    {
        var info = Module.Info;
        var definedIndex = (int)index - info.ImportedFunctionCount;
        var type = info.FunctionTypes[(int)index];
        var invoker = Module.Code.Trampoline(definedIndex).CreateDelegate(ClrTypes.DelegateType(type), this);
        var function = new Func(Store, type, TypeIds[info.Definition.FunctionTypeIndices[definedIndex]], invoker, this, index);
        Functions[index] = function;
        return function;
    }
}
