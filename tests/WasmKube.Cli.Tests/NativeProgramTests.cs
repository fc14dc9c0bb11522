using WasmKube.Guest.Cil;
using WasmKube.Testing.Registry;

namespace WasmKube.Cli.Tests;

/// <summary>
/// The wasmkube that build.sh publishes: a NativeAOT program, which hands runs and compiles on our own engine to its
/// framework-dependent build under jit/. The other tests run that build's assembly; these run what users run.
/// </summary>
public sealed class NativeProgramTests : IClassFixture<ExamplesFixture>, IDisposable
{
    private static readonly string Published = Path.Combine(Tooling.RepositoryRoot, "artifacts", "publish", "wasmkube");
    private static readonly string Program = Path.Combine(Published, "wasmkube");
    private readonly ExamplesFixture _examples;
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-native-").FullName;

    public NativeProgramTests(ExamplesFixture examples)
    {
        _examples = examples;
        Assert.True(File.Exists(Program), $"{Program} is missing: run ./build.sh first");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_engine_name_the_program_hands_on_is_our_engines()
    {
        Assert.Equal(CilGuestEngine.EngineName, Engines.Own);
    }

    [Fact]
    public void It_is_a_native_program_and_runs_a_guest_on_either_engine_the_same_way()
    {
        var wasmtime = Tooling.Run(Program, ["run", "--engine", "wasmtime", "--cache-dir", _examples.CacheDirectory, _examples.Wasm("hello")]);
        var wasmkube = Tooling.Run(Program, ["run", "--engine=wasmkube", "--cache-dir", _examples.CacheDirectory, _examples.Wasm("hello")]);

        Assert.False(File.Exists(Path.Combine(Published, "wasmkube.dll")), "a managed wasmkube.dll lies beside the NativeAOT program");
        Assert.True(File.Exists(Path.Combine(Published, "jit", "wasmkube.dll")), "the JIT build is missing under jit/");
        Assert.True(wasmtime.ExitCode == 0, wasmtime.ToString());
        Assert.Contains("platform: wasi", wasmtime.Stdout);
        Assert.True(wasmkube.ExitCode == 0, wasmkube.ToString());
        Assert.Equal(WithoutDate(wasmtime.Stdout), WithoutDate(wasmkube.Stdout));
    }

    /// <summary>hello's output but the line with the time, which may differ between two runs.</summary>
    private static string[] WithoutDate(string stdout) =>
        [.. stdout.Split('\n').Where(line => !line.Contains("The date is", StringComparison.Ordinal))];

    [Fact]
    public void Its_image_archive_is_byte_for_byte_the_jit_builds()
    {
        string[] build = ["image", "build", "-m", _examples.Wasm("hello"), "-t", "hello:1", "-e", "GREETING=hi", "--file", $"{_examples.Wasm("hello")}=/bin/hello.wasm"];
        var native = Tooling.Run(Program, [.. build, "-o", Path.Combine(_directory, "native.tar")]);
        var jit = Tooling.Run(Path.Combine(Published, "jit", "wasmkube"), [.. build, "-o", Path.Combine(_directory, "jit.tar")]);

        Assert.True(native.ExitCode == 0, native.ToString());
        Assert.True(jit.ExitCode == 0, jit.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, "jit.tar")), File.ReadAllBytes(Path.Combine(_directory, "native.tar")));
    }

    [Fact]
    public async Task It_pushes_to_a_registry_the_index_that_skopeo_reads_back()
    {
        await using var registry = await TestRegistry.StartAsync();
        var target = $"{registry.Host}/wasm/native:1";
        var environment = new Dictionary<string, string> { ["HOME"] = _directory, ["DOCKER_CONFIG"] = Path.Combine(_directory, "no-docker-config") };

        var push = Tooling.Run(Program, ["image", "build", "-m", _examples.Wasm("hello"), "--push", target, "--plain-http"], environment);
        var inspect = Tooling.Run("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://" + target]);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"pushed {target} (index sha256:", push.Stdout);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var index = System.Text.Json.JsonDocument.Parse(inspect.Stdout);
        Assert.Equal("application/vnd.oci.image.index.v1+json", index.RootElement.GetProperty("mediaType").GetString());
    }

    [Fact]
    public async Task Sigterm_stops_its_computing_guest()
    {
        var (ended, exitCode, stderr) = await Tooling.SigtermOnceRunningAsync(_directory, Program, ["run", "--cache-dir", _examples.CacheDirectory]);

        Assert.True(ended, "wasmkube went on computing after SIGTERM");
        Assert.Equal(128 + 15, exitCode);
        Assert.Contains("the guest was interrupted", stderr);
    }
}
