namespace WasmKube.Cli.Tests;

/// <summary>
/// <c>wasmkube run</c> as a user runs it: a child process on the C examples and small hand-written modules, on each
/// engine (the subclasses): what a guest sees and how it ends must not depend on the engine.
/// </summary>
public abstract class RunEndToEndTests : IClassFixture<ExamplesFixture>, IDisposable
{
    private readonly ExamplesFixture _examples;
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-run-").FullName;

    protected RunEndToEndTests(ExamplesFixture examples) => _examples = examples;

    protected abstract string Engine { get; }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private ProcessResult Run(params string[] args) => Tooling.Wasmkube(["run", "--engine", Engine, "--cache-dir", _examples.CacheDirectory, .. args]);

    [Fact]
    public void Hello_sees_the_wasi_platform_no_environment_and_cannot_list_the_root()
    {
        var result = Run(_examples.Wasm("hello"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.Contains("platform: wasi", lines);
        Assert.Contains("environment variables: 0", lines);
        Assert.Contains("Hello from WebAssembly!", result.Stdout);
        Assert.Contains("  cannot list /: Capabilities insufficient", lines);
    }

    [Fact]
    public void Hello_sees_exactly_the_given_variable_and_the_preopened_directory()
    {
        var docroot = Directory.CreateDirectory(Path.Combine(_directory, "docroot")).FullName;
        File.WriteAllText(Path.Combine(docroot, "index.php"), "<?php echo 'hi';");
        File.WriteAllText(Path.Combine(docroot, "style.css"), "body {}");

        var result = Run("--dir", $"/docroot:{docroot}", "--env", "A=1", _examples.Wasm("hello"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("environment variables: 1\n  A\nHello", result.Stdout);
        Assert.Contains("listing of /:\n  cannot list /: Capabilities insufficient\n", result.Stdout);
        Assert.EndsWith("listing of /docroot:\n  index.php\n  style.css\n", result.Stdout);
    }

    [Fact]
    public void Hello_in_wasm_and_natively_agree_on_environment_and_listing()
    {
        var shared = Directory.CreateDirectory(Path.Combine(_directory, "shared")).FullName;
        foreach (var name in new[] { "b.txt", "a.txt", "Z" }) File.WriteAllText(Path.Combine(shared, name), name);
        Directory.CreateDirectory(Path.Combine(shared, "sub"));

        var wasm = Run("--dir", $"{shared}:{shared}", "--env", "GREETING=hi", "--env", "LANG=C", _examples.Wasm("hello"), shared);
        var native = Tooling.Run(_examples.Native("hello"), [shared], new Dictionary<string, string> { ["GREETING"] = "hi", ["LANG"] = "C" }, clearEnvironment: true);

        Assert.True(wasm.ExitCode == 0, wasm.ToString());
        Assert.Equal(0, native.ExitCode);
        Assert.Contains("platform: Linux", native.Stdout);
        Assert.Contains("platform: wasi", wasm.Stdout);
        Assert.Equal(Section(native.Stdout, "environment variables:"), Section(wasm.Stdout, "environment variables:"));
        Assert.Equal(Section(native.Stdout, $"listing of {shared}:"), Section(wasm.Stdout, $"listing of {shared}:"));
        Assert.Contains("  sub", Section(wasm.Stdout, $"listing of {shared}:"));
    }

    [Fact]
    public void File_operations_through_wasi_libc_match_the_native_build()
    {
        var wasmRoot = Directory.CreateDirectory(Path.Combine(_directory, "wasm-files")).FullName;
        var nativeRoot = Directory.CreateDirectory(Path.Combine(_directory, "native-files")).FullName;

        var wasm = Run("--dir", $"/work:{wasmRoot}", _examples.Wasm("fileops"), "/work");
        var native = Tooling.Run(_examples.Native("fileops"), [nativeRoot]);

        Assert.Equal(7, native.ExitCode);
        Assert.True(wasm.ExitCode == 7, wasm.ToString());
        Assert.Equal(native.Stdout, wasm.Stdout);
        Assert.Contains("link -> moved.txt", wasm.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(wasmRoot));
    }

    [Fact]
    public void Stdio_is_inherited_from_wasmkube()
    {
        var input = string.Concat(Enumerable.Repeat("hello, stdin\n", 1000));
        var result = Tooling.Run("dotnet", [Tooling.WasmkubeDll, "run", "--cache-dir", _examples.CacheDirectory, _examples.Wasm("upper")], stdin: input);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(input.ToUpperInvariant(), result.Stdout);
        Assert.Equal($"{input.Length} bytes\n", result.Stderr);
    }

    [Fact]
    public void Read_only_directories_refuse_writes_from_the_guest()
    {
        var site = Directory.CreateDirectory(Path.Combine(_directory, "site")).FullName;
        var writer = Tooling.Wat(_directory, "writer", """
            (module
              (import "wasi_snapshot_preview1" "path_open"
                (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "new.txt")
              (func (export "_start")
                ;; path_open(fd 3, follow, "new.txt", O_CREAT, all rights) and exit with its errno
                (call $proc_exit
                  (call $path_open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 7) (i32.const 1)
                    (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 8)))))
            """);

        var readOnly = Run("--dir", $"/site:{site}:ro", writer);
        Assert.Equal(76, readOnly.ExitCode); // ENOTCAPABLE
        Assert.False(File.Exists(Path.Combine(site, "new.txt")));

        var writable = Run("--dir", $"/site:{site}", writer);
        Assert.Equal(0, writable.ExitCode);
        Assert.True(File.Exists(Path.Combine(site, "new.txt")));
    }

    [Fact]
    public void Proc_exit_code_becomes_the_exit_code()
    {
        var module = Tooling.Wat(_directory, "exit", """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start") (call $proc_exit (i32.const 42))))
            """);
        Assert.Equal(42, Run(module).ExitCode);
    }

    [Fact]
    public void A_trap_exits_with_134_and_prints_the_message_and_backtrace()
    {
        var module = Tooling.Wat(_directory, "trap", """
            (module
              (memory (export "memory") 1)
              (func $inner (unreachable))
              (func (export "_start") (call $inner)))
            """);
        var result = Run(module);
        Assert.Equal(134, result.ExitCode);
        Assert.Contains("wasm trap: unreachable", result.Stderr);
        Assert.Contains("wasm backtrace:", result.Stderr);
    }

    [Fact]
    public void Guest_arguments_are_passed_through_untouched()
    {
        var result = Run(_examples.Wasm("hello"), "--help", "-x");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("listing of --help:", result.Stdout);
        Assert.Contains("listing of -x:", result.Stdout);
    }

    [Fact]
    public void Timeout_stops_a_guest_that_never_ends()
    {
        var module = Tooling.Wat(_directory, "spin", """
            (module
              (memory (export "memory") 1)
              (func (export "_start") (loop $forever (br $forever))))
            """);
        var result = Run("--timeout", "500ms", module);
        Assert.Equal(CommandExitCodes.Timeout, result.ExitCode);
        Assert.Contains("--timeout", result.Stderr);
    }

    [Fact]
    public async Task Sigterm_stops_a_guest_that_computes_and_says_so()
    {
        var (ended, exitCode, stderr) = await Tooling.SigtermOnceRunningAsync(_directory, "dotnet",
            [Tooling.WasmkubeDll, "run", "--engine", Engine, "--cache-dir", _examples.CacheDirectory]);

        Assert.True(ended, "wasmkube run went on computing after SIGTERM");
        Assert.Equal(128 + 15, exitCode);
        Assert.Contains("the guest was interrupted", stderr);
    }

    [Fact]
    public void Memory_limit_caps_memory_growth()
    {
        // Exits with 1 when memory.grow of 64 pages (4 MiB) fails, 0 when it succeeds.
        var module = Tooling.Wat(_directory, "grow", """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (call $proc_exit (i32.eq (memory.grow (i32.const 64)) (i32.const -1)))))
            """);
        Assert.Equal(0, Run(module).ExitCode);
        Assert.Equal(1, Run("--memory-limit", "1Mi", module).ExitCode);
    }

    [Fact]
    public void An_invalid_module_is_refused_with_the_validator_reason()
    {
        var module = Tooling.Wat(_directory, "invalid", """
            (module (func (export "_start") (result i32) (i64.const 1)))
            """, check: false);
        var result = Run(module);
        Assert.Equal(CommandExitCodes.UsageError, result.ExitCode);
        Assert.Contains("fails validation", result.Stderr);
        Assert.Contains("type mismatch", result.Stderr);
    }

    [Fact]
    public void A_module_with_an_unknown_import_is_refused_with_its_name()
    {
        var module = Tooling.Wat(_directory, "import", """
            (module
              (import "env" "mystery" (func))
              (memory (export "memory") 1)
              (func (export "_start")))
            """);
        var result = Run(module);
        Assert.Equal(CommandExitCodes.UsageError, result.ExitCode);
        Assert.Contains("env.mystery", result.Stderr);
    }

    /// <summary>The lines of a section: its heading line up to the next line that does not start with two spaces.</summary>
    private static string Section(string output, string heading)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no \"{heading}\" in:\n{output}");
        var section = lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal));
        return string.Join('\n', [lines[start], .. section]);
    }
}

public sealed class RunOnWasmtimeTests(ExamplesFixture examples) : RunEndToEndTests(examples)
{
    protected override string Engine => "wasmtime";
}

public sealed class RunOnWasmKubeEngineTests(ExamplesFixture examples) : RunEndToEndTests(examples)
{
    protected override string Engine => "wasmkube";
}
