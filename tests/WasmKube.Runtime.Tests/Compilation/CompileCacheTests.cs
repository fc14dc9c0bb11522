using System.Runtime.CompilerServices;
using WasmKube.Runtime.Tests.Execution;

namespace WasmKube.Runtime.Tests.Compilation;

public sealed class CompileCacheTests : IDisposable
{
    private static readonly DateTime Marked = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("wasmkube-cache-");

    private readonly byte[] _wasm = Wat.ToWasm("""
        (module (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))
        """);

    public void Dispose() => _cache.Delete(recursive: true);

    private int RunSquare(EngineOptions? options = null)
    {
        var engine = new Engine(options ?? new EngineOptions { CacheDirectory = _cache.FullName });
        var instance = new Linker().Instantiate(new Store(engine) { Fuel = 100 }, Module.FromBytes(engine, _wasm));
        return instance.GetFunction("square")!.Invoke(Value.I32(12))[0].AsI32();
    }

    private string SingleEntry() => Assert.Single(Directory.GetFiles(_cache.FullName, "*.wkc"));

    [Fact]
    public void SecondCompileIsServedFromTheCache()
    {
        Assert.Equal(144, RunSquare());
        var entry = SingleEntry();
        File.SetLastWriteTimeUtc(entry, Marked);

        Assert.Equal(144, RunSquare());
        Assert.Equal(Marked, File.GetLastWriteTimeUtc(SingleEntry()));
    }

    [Fact]
    public void CorruptEntriesAreRecompiledNotLoaded()
    {
        Assert.Equal(144, RunSquare());
        var entry = SingleEntry();
        var bytes = File.ReadAllBytes(entry);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(entry, bytes);
        File.SetLastWriteTimeUtc(entry, Marked);

        Assert.Equal(144, RunSquare());
        Assert.NotEqual(Marked, File.GetLastWriteTimeUtc(SingleEntry()));

        File.WriteAllBytes(entry, [1, 2, 3]);
        Assert.Equal(144, RunSquare());
        Assert.True(new FileInfo(SingleEntry()).Length > 3);
    }

    [Fact]
    public void OptionsThatChangeCodeGetTheirOwnEntries()
    {
        Assert.Equal(144, RunSquare());
        Assert.Equal(144, RunSquare(new EngineOptions { CacheDirectory = _cache.FullName, ConsumeFuel = true }));
        Assert.Equal(2, Directory.GetFiles(_cache.FullName, "*.wkc").Length);
    }

    [Fact]
    public void CompiledCodeIsCollectedWhenUnreferenced()
    {
        var code = CompileAndDrop();
        for (var i = 0; i < 20 && code.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(code.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference CompileAndDrop()
    {
        var engine = new Engine();
        var instance = new Linker().Instantiate(new Store(engine), Module.FromBytes(engine, _wasm));
        var square = instance.GetFunction("square")!;
        Assert.Equal(49, square.Invoke(Value.I32(7))[0].AsI32());
        return new WeakReference(CodeAssemblyOf(square));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object CodeAssemblyOf(Func function)
    {
        var invoker = (Delegate)typeof(Func).GetField("Invoker", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(function)!;
        return invoker.Method.DeclaringType!.Assembly;
    }
}
