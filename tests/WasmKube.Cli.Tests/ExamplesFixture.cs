namespace WasmKube.Cli.Tests;

/// <summary>
/// The C examples built once per test run with examples/build.sh into a temporary folder, plus native builds of the
/// same sources with gcc for comparison, and a private compile cache.
/// </summary>
public sealed class ExamplesFixture : IDisposable
{
    public ExamplesFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "wasmkube-cli-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var build = Tooling.Run("bash", [Path.Combine(Tooling.RepositoryRoot, "examples", "build.sh"), Directory]);
        if (build.ExitCode != 0) throw new InvalidOperationException($"examples/build.sh failed: {build}");
        Compile("gcc", Path.Combine(Tooling.RepositoryRoot, "examples", "hello", "hello.c"), Native("hello"));
        // Test guests live beside the tests and are built both ways here.
        var fileops = Path.Combine(Tooling.RepositoryRoot, "tests", "WasmKube.Cli.Tests", "Guests", "fileops.c");
        Compile("gcc", fileops, Native("fileops"));
        Compile("clang", fileops, Wasm("fileops"), "--target=wasm32-wasi", "--sysroot=/usr");
        var upper = Path.Combine(Tooling.RepositoryRoot, "tests", "WasmKube.Cli.Tests", "Guests", "upper.c");
        Compile("clang", upper, Wasm("upper"), "--target=wasm32-wasi", "--sysroot=/usr");
    }

    public string Directory { get; }

    private static void Compile(string compiler, string source, string output, params string[] flags)
    {
        var result = Tooling.Run(compiler, [.. flags, "-O2", "-o", output, source]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{compiler} {source} failed: {result}");
    }

    public string CacheDirectory => Path.Combine(Directory, "cache");

    public string Wasm(string name) => Path.Combine(Directory, name + ".wasm");

    public string Native(string name) => Path.Combine(Directory, name + ".native");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
