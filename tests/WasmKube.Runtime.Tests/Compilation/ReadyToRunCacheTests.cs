using System.Runtime;
using System.Text;
using WasmKube.Runtime.Tests.Execution;
using Xunit.Abstractions;

namespace WasmKube.Runtime.Tests.Compilation;

public sealed class ReadyToRunCacheTests(ITestOutputHelper output) : IDisposable
{
    private const int Functions = 40;

    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("wasmkube-r2r-cache-");

    private readonly List<string> _diagnostics = [];

    // A chain of distinct functions, so JIT work grows with the number of functions a call reaches.
    private static readonly byte[] Chain = Wat.ToWasm(BuildChain());

    public void Dispose() => _cache.Delete(recursive: true);

    private static string BuildChain()
    {
        var text = new StringBuilder("(module\n");
        for (var i = 0; i < Functions; i++)
        {
            var next = i + 1 < Functions ? $"(call $f{i + 1} (i32.add (i32.mul (local.get 0) (i32.const {i + 3})) (i32.const {i})))" : "(local.get 0)";
            text.Append($"  (func $f{i} (param i32) (result i32) (i32.xor {next} (i32.const {i * 7919})))\n");
        }

        return text.Append("  (export \"run\" (func $f0)))").ToString();
    }

    private EngineOptions Options(string? compiler) => new()
    {
        CacheDirectory = _cache.FullName,
        ReadyToRunCompiler = compiler,
        Diagnostic = _diagnostics.Add,
    };

    /// <summary>The result of run(x) and how many methods the JIT compiled to load, instantiate and call it.</summary>
    private static (int Result, long JitCompiled) Run(EngineOptions options, int argument, out Module module)
    {
        var engine = new Engine(options);
        module = Module.FromBytes(engine, Chain);
        var before = JitInfo.GetCompiledMethodCount();
        var instance = new Linker().Instantiate(new Store(engine), module);
        var result = instance.GetFunction("run")!.Invoke(Value.I32(argument))[0].AsI32();
        return (result, JitInfo.GetCompiledMethodCount() - before);
    }

    private string[] Entries() => Directory.GetFiles(_cache.FullName, "*.wkc");

    [Fact]
    public void ReadyToRunEntryComputesWhatIlComputesWithLessJit()
    {
        Run(new EngineOptions(), 5, out _);   // the runtime's own methods are JIT-compiled once, outside the counts
        var expected = Run(new EngineOptions(), 5, out var inMemory);
        Assert.False(inMemory.IsReadyToRun);

        var compiled = Run(Options(Crossgen2Package.Locate()), 5, out var withNative);
        Assert.True(withNative.IsReadyToRun, string.Join("; ", _diagnostics));
        Assert.Equal(2, Entries().Length);

        // A later engine without crossgen2 (like `wasmkube run`) is served the native entry.
        var cached = Run(Options(null), 5, out var fromCache);
        Assert.True(fromCache.IsReadyToRun);
        Assert.Equal(expected.Result, compiled.Result);
        Assert.Equal(expected.Result, cached.Result);

        output.WriteLine($"methods JIT-compiled: IL {expected.JitCompiled}, first ReadyToRun load {compiled.JitCompiled}, cached ReadyToRun {cached.JitCompiled}");

        // IL-only code JIT-compiles every function of the chain; the native entry does not.
        Assert.True(expected.JitCompiled >= Functions, $"IL run compiled {expected.JitCompiled} methods");
        Assert.True(cached.JitCompiled < Functions / 2, $"ReadyToRun run still JIT-compiled {cached.JitCompiled} methods (IL: {expected.JitCompiled})");
    }

    [Fact]
    public void CorruptReadyToRunEntryIsReplacedNotLoaded()
    {
        var compiler = Crossgen2Package.Locate();
        var expected = Run(Options(compiler), 9, out _).Result;
        var native = Assert.Single(Entries(), path => new FileInfo(path).Length == Entries().Max(p => new FileInfo(p).Length));
        var bytes = File.ReadAllBytes(native);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(native, bytes);

        Assert.Equal(expected, Run(Options(compiler), 9, out var rebuilt).Result);
        Assert.True(rebuilt.IsReadyToRun);
        Assert.NotEqual(bytes, File.ReadAllBytes(native));

        // Without crossgen2 a damaged native entry is dropped and the IL entry serves.
        File.WriteAllBytes(native, [1, 2, 3]);
        Assert.Equal(expected, Run(Options(null), 9, out var fallback).Result);
        Assert.False(fallback.IsReadyToRun);
        Assert.False(File.Exists(native));
        Assert.Contains(_diagnostics, line => line.Contains("damaged", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingCrossgen2FallsBackToIlAndSaysSo()
    {
        var missing = Path.Combine(_cache.FullName, "no-such-crossgen2");
        var result = Run(Options(missing), 3, out var module).Result;

        Assert.False(module.IsReadyToRun);
        Assert.Equal(Run(new EngineOptions(), 3, out _).Result, result);
        var line = Assert.Single(_diagnostics);
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.Contains("IL only", line, StringComparison.Ordinal);
        Assert.Single(Entries());
    }

    [Fact]
    public void TrapsFromNativeCodeCarryTheSameBacktraceAsIl()
    {
        var wasm = Wat.ToWasm("""
            (module
              (memory 1)
              (func $inner (param i32) (result i32) (i32.load (local.get 0)))
              (func $middle (param i32) (result i32) (call $inner (local.get 0)) (i32.const 1) (i32.add))
              (func (export "outer") (param i32) (result i32) (call $middle (local.get 0))))
            """);
        TrapException Trap(EngineOptions options, out Module module)
        {
            var engine = new Engine(options);
            module = Module.FromBytes(engine, wasm, "sample");
            var instance = new Linker().Instantiate(new Store(engine), module);
            return Assert.Throws<TrapException>(() => instance.GetFunction("outer")!.Invoke(Value.I32(65536)));
        }

        var expected = Trap(new EngineOptions(), out _);
        var native = Trap(Options(Crossgen2Package.Locate()), out var module);

        Assert.True(module.IsReadyToRun, string.Join("; ", _diagnostics));
        Assert.Equal(expected.Kind, native.Kind);
        Assert.Equal(expected.Frames, native.Frames);
    }
}
