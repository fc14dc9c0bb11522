namespace WasmKube.Runtime;

/// <summary>Settings shared by every module an <see cref="Engine"/> compiles.</summary>
public sealed record EngineOptions
{
    /// <summary>Most nested wasm calls before a "call stack exhausted" trap.</summary>
    public int MaxCallDepth { get; init; } = 10_000;

    /// <summary>Emit fuel metering (one unit per function call and loop iteration); off by default because it costs speed.</summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>Folder of the on-disk compile cache (persisted assemblies keyed by module sha256 and engine version); null disables it.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// The crossgen2 executable. When set together with <see cref="CacheDirectory"/>, a module compiled for the cache
    /// also gets ReadyToRun native code stored beside its IL, so loading it from the cache needs little JIT work. The
    /// engine itself does not ship crossgen2; without it (or when it fails) entries hold IL only and
    /// <see cref="Diagnostic"/> says why. Cached native code is used whether or not this is set.
    /// </summary>
    public string? ReadyToRunCompiler { get; init; }

    /// <summary>
    /// Longest the engine may spend compiling one module (decoding, validating and generating code); a module that
    /// takes longer is refused with a <see cref="CompileLimitException"/>. Modules served from the compile cache are
    /// not compiled again and so not measured.
    /// </summary>
    public TimeSpan MaxCompileTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most memory compiling one module may take: what the code generator allocates for the whole module, and the
    /// working memory the .NET JIT is estimated to need for its largest function (the JIT compiles one function at a
    /// time, at its first call). A module over it is refused with a <see cref="CompileLimitException"/>.
    /// </summary>
    public long MaxCompileMemoryBytes { get; init; } = 1L << 30;

    /// <summary>Receives one line per noteworthy compile-cache event, such as a fallback to IL-only code.</summary>
    public Action<string>? Diagnostic { get; init; }
}

/// <summary>
/// Compiles modules. Thread-safe; one engine is usually shared by a whole process. Compiled code of a module that is
/// no longer referenced is collected.
/// </summary>
public sealed class Engine
{
    public Engine(EngineOptions? options = null) => Options = options ?? new EngineOptions();

    public EngineOptions Options { get; }

    /// <summary>Identifies the code generator; part of the compile-cache key, so a new engine never runs old code.</summary>
    public static string Version => "wasmkube-cil-4";
}
