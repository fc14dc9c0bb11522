namespace WasmKube.Cli.Tests;

/// <summary>
/// <c>wasmkube run</c> where openat2 answers ENOSYS (Native/without-openat2.c installs a seccomp filter, as an old
/// kernel or a container's profile would): preopens are confined by the path walk, with a warning, or the run is
/// refused with --require-openat2.
/// </summary>
public sealed class WithoutOpenat2Tests : IClassFixture<ExamplesFixture>, IDisposable
{
    private readonly ExamplesFixture _examples;
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-no-openat2-").FullName;
    private readonly string _launcher;
    private readonly string _docroot;

    public WithoutOpenat2Tests(ExamplesFixture examples)
    {
        _examples = examples;
        _launcher = Path.Combine(_directory, "without-openat2");
        var source = Path.Combine(Tooling.RepositoryRoot, "tests", "WasmKube.Cli.Tests", "Native", "without-openat2.c");
        var build = Tooling.Run("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", _launcher, source]);
        Assert.True(build.ExitCode == 0, $"gcc {source}: {build}");
        _docroot = Directory.CreateDirectory(Path.Combine(_directory, "docroot")).FullName;
        File.WriteAllText(Path.Combine(_docroot, "index.html"), "hi");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Without_openat2_the_guest_runs_confined_by_the_walk_and_a_warning_says_so()
    {
        var result = RunWithoutOpenat2("--dir", $"/docroot:{_docroot}", _examples.Wasm("hello"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: this kernel has no openat2", result.Stderr);
        Assert.Contains("--require-openat2", result.Stderr);
        Assert.EndsWith("listing of /docroot:\n  index.html\n", result.Stdout);
    }

    [Fact]
    public void Requiring_openat2_refuses_to_run_without_it()
    {
        var result = RunWithoutOpenat2("--require-openat2", "--dir", $"/docroot:{_docroot}", _examples.Wasm("hello"));

        Assert.True(result.ExitCode == CommandExitCodes.UsageError, result.ToString());
        Assert.Contains("openat2 is not available", result.Stderr);
        Assert.DoesNotContain("Hello", result.Stdout);
    }

    [Fact]
    public void Requiring_openat2_runs_where_the_kernel_has_it()
    {
        var result = Tooling.Wasmkube(["run", "--cache-dir", _examples.CacheDirectory, "--require-openat2", "--dir", $"/docroot:{_docroot}", _examples.Wasm("hello")]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("warning", result.Stderr);
        Assert.EndsWith("listing of /docroot:\n  index.html\n", result.Stdout);
    }

    private ProcessResult RunWithoutOpenat2(params string[] args) =>
        Tooling.Run(_launcher, ["dotnet", Tooling.WasmkubeDll, "run", "--cache-dir", _examples.CacheDirectory, .. args]);
}
