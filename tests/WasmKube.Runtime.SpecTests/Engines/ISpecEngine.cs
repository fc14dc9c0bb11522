namespace WasmKube.Runtime.SpecTests.Engines;

/// <summary>
/// What the harness needs of a WebAssembly engine: one configured engine shared by many scripts, each of which opens
/// its own session (a store plus a linker holding the <c>spectest</c> module and the registered instances).
/// </summary>
public interface ISpecEngine
{
    /// <summary>A short name for test names and summary lines ("wasmkube", "wasmtime").</summary>
    string Name { get; }

    /// <summary>
    /// Whether a rejected module is reported as <see cref="FailureClass.Malformed"/> or <see cref="FailureClass.Invalid"/>
    /// (else as <see cref="FailureClass.Rejected"/>), and whether its error wording is meant to follow the spec's.
    /// </summary>
    bool SpeaksTheSpecsTerms { get; }

    ISpecSession OpenSession();
}

/// <summary>
/// One script's store and linker. Modules and instances are the engine's own objects, opaque to the harness. Every
/// engine error comes out as an <see cref="EngineFailure"/>.
/// </summary>
public interface ISpecSession : IDisposable
{
    object Compile(byte[] bytes, string name);

    /// <summary>Instantiates against the spectest module and the registered instances.</summary>
    object Instantiate(object module);

    /// <summary>Makes the exports of <paramref name="instance"/> importable from module <paramref name="name"/>.</summary>
    void Register(string name, object instance);

    /// <summary>The names and parameter types of the exported functions of <paramref name="instance"/>, in export order.</summary>
    IReadOnlyList<(string Name, IReadOnlyList<WasmType> Parameters)> ExportedFunctions(object instance);

    /// <summary>Calls an exported function; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    WasmValue[] Invoke(object instance, string export, IReadOnlyList<WasmValue> arguments);

    /// <summary>Reads an exported global; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    WasmValue GetGlobal(object instance, string export);

    /// <summary>
    /// The instance's exported state, by export name: every global's value, and for memories and tables a digest
    /// (memory: page count and a hash of the bytes; table: element count).
    /// </summary>
    ExportedState StateOf(object instance);

    /// <summary>Sets the fuel left, on a session of an engine created with fuel consumption.</summary>
    void SetFuel(long fuel);

    /// <summary>Asks running code to stop with an <see cref="TrapClass.Interrupted"/> trap; callable from another thread.</summary>
    void Interrupt();

    /// <summary>Clears an interruption once the interrupted command has returned.</summary>
    void ResetInterrupt();
}

/// <summary>What <see cref="ISpecSession.StateOf"/> reports, each list in export-name order.</summary>
public sealed record ExportedState(IReadOnlyList<(string Name, WasmValue Value)> Globals, IReadOnlyList<(string Name, string Digest)> Others)
{
    private const long PageSize = 65536;

    /// <summary>Pages and a hash of the contents; memories past 2 GiB (which no span can cover) by their size only.</summary>
    public static string MemoryDigest(long length, SpanAccessor bytes) => length > int.MaxValue
        ? $"memory: {length / PageSize} pages"
        : $"memory: {length / PageSize} pages, sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes((int)length)))[..16]}";

    public delegate ReadOnlySpan<byte> SpanAccessor(int length);
}
