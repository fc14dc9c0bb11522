using WasmKube.Cli.Commands;

namespace WasmKube.Cli.Tests;

/// <summary>Help, option values and bad input, in process: none of these reach the engine's compiler.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Output, string Error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApplication.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Root_help_lists_the_commands()
    {
        var (code, output, _) = Cli("--help");
        Assert.Equal(0, code);
        Assert.Contains("run", output);
        Assert.Contains("compile", output);
    }

    [Theory]
    [InlineData("run", "--dir")]
    [InlineData("run", "--listen")]
    [InlineData("run", "--memory-limit")]
    [InlineData("run", "--timeout")]
    [InlineData("compile", "--output")]
    public void Command_help_describes_its_options(string command, string option)
    {
        var (code, output, _) = Cli(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains(option, output);
    }

    [Fact]
    public void A_missing_module_is_named()
    {
        var missing = Path.Combine(_directory, "nope.wasm");
        var (code, _, error) = Cli("run", missing);
        Assert.Equal(WasmKube.Guest.GuestExitCodes.NotFound, code);
        Assert.Contains(missing, error);
        Assert.Contains("no such file", error);
    }

    [Fact]
    public void A_file_that_is_not_wasm_is_refused_by_its_magic()
    {
        var text = Path.Combine(_directory, "script.sh");
        File.WriteAllText(text, "#!/bin/sh\necho hi\n");
        var (code, _, error) = Cli("run", text);
        Assert.Equal(WasmKube.Guest.GuestExitCodes.NotExecutable, code);
        Assert.Contains("not a WebAssembly module", error);
        Assert.Equal(CommandExitCodes.UsageError, Cli("compile", text).ExitCode);
    }

    [Fact]
    public void A_component_is_told_apart_from_a_core_module()
    {
        var component = Path.Combine(_directory, "component.wasm");
        File.WriteAllBytes(component, [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
        var (code, _, error) = Cli("run", component);
        Assert.Equal(WasmKube.Guest.GuestExitCodes.NotExecutable, code);
        Assert.Contains("component", error);
    }

    [Theory]
    [InlineData("--dir", "a:b:c:d", "expected GUEST:HOST")]
    [InlineData("--dir", "/data:/definitely/not/here", "does not exist")]
    [InlineData("--env", "=x", "name is missing")]
    [InlineData("--listen", "nonsense", "expected HOST:PORT")]
    [InlineData("--memory-limit", "lots", "expected a size")]
    [InlineData("--timeout", "soon", "expected a positive duration")]
    public void Bad_option_values_are_explained(string option, string value, string explanation)
    {
        var module = Path.Combine(_directory, "empty.wasm");
        File.WriteAllBytes(module, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
        var (code, _, error) = Cli("run", option, value, module);
        Assert.Equal(CommandExitCodes.UsageError, code);
        Assert.Contains(option, error);
        Assert.Contains(explanation, error);
    }

    [Theory]
    [InlineData("/docroot:/tmp", "/docroot", "/tmp", false)]
    [InlineData("/site:/tmp:ro", "/site", "/tmp", true)]
    [InlineData("/tmp", "/tmp", "/tmp", false)]
    public void Directory_mappings_parse(string value, string guest, string host, bool readOnly)
    {
        var preopen = OptionValues.Directory(value);
        Assert.Equal(guest, preopen.GuestPath);
        Assert.Equal(host, preopen.HostPath);
        Assert.Equal(readOnly, preopen.ReadOnly);
    }

    [Theory]
    [InlineData("1048576", 1048576)]
    [InlineData("64Mi", 64L << 20)]
    [InlineData("2Gi", 2L << 30)]
    [InlineData("10M", 10_000_000)]
    [InlineData("512Ki", 512L << 10)]
    public void Sizes_parse(string value, long bytes) => Assert.Equal(bytes, OptionValues.Size(value, "--memory-limit"));

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("00:00:03", 3_000)]
    public void Durations_parse(string value, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), OptionValues.Duration(value, "--timeout"));

    [Fact]
    public void Endpoints_parse()
    {
        Assert.Equal("127.0.0.1:8080", OptionValues.Endpoint("127.0.0.1:8080").ToString());
        Assert.Equal("127.0.0.1:80", OptionValues.Endpoint("localhost:80").ToString());
        Assert.Equal("[::1]:8080", OptionValues.Endpoint("[::1]:8080").ToString());
    }

    [Fact]
    public void Everything_after_the_module_goes_to_the_guest()
    {
        Assert.Equal(
            ["run", "--dir", "/a:/b", "-e", "X=1", "m.wasm", "--", "--help", "-x"],
            RunCommand.SeparateGuestArguments(["run", "--dir", "/a:/b", "-e", "X=1", "m.wasm", "--help", "-x"]));
        Assert.Equal(["run", "--no-cache", "m.wasm"], RunCommand.SeparateGuestArguments(["run", "--no-cache", "m.wasm"]));
        Assert.Equal(["run", "m.wasm", "--", "a"], RunCommand.SeparateGuestArguments(["run", "m.wasm", "--", "a"]));
        Assert.Equal(["compile", "m.wasm", "-o", "x"], RunCommand.SeparateGuestArguments(["compile", "m.wasm", "-o", "x"]));
    }
}
