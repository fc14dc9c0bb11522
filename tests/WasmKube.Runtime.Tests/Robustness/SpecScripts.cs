using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace WasmKube.Runtime.Tests.Robustness;

/// <summary>One module of a converted spec script: the command that holds it, its bytes and the expected failure text.</summary>
internal sealed record ScriptModule(string Script, int Line, string Command, byte[] Bytes, string? ExpectedText);

/// <summary>
/// Finds the WebAssembly spec test suite (<c>WASM_SPEC_TESTSUITE</c>, else <c>../shared/wasm-spec-testsuite</c>
/// beside the repository) and converts its scripts with wabt's <c>wast2json</c>.
/// </summary>
internal static class SpecScripts
{
    public const string DirectoryVariable = "WASM_SPEC_TESTSUITE";

    public static string? Directory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrEmpty(configured))
            {
                return System.IO.Directory.Exists(configured) ? configured : null;
            }

            var beside = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "wasm-spec-testsuite"));
            return System.IO.Directory.Exists(beside) ? beside : null;
        }
    }

    public static string MissingReason =>
        $"WebAssembly spec suite not found: set {DirectoryVariable} or place it at ../shared/wasm-spec-testsuite beside the repository";

    /// <summary>Converts the named scripts into <paramref name="workDirectory"/> and returns every binary module they contain.</summary>
    public static List<ScriptModule> Load(string workDirectory, IEnumerable<string> scripts)
    {
        var suite = Directory ?? throw new InvalidOperationException(MissingReason);
        var modules = new List<ScriptModule>();
        foreach (var script in scripts)
        {
            var json = Path.Combine(workDirectory, script + ".json");
            Convert(Path.Combine(suite, script + ".wast"), json);
            using var document = JsonDocument.Parse(File.ReadAllBytes(json));
            foreach (var command in document.RootElement.GetProperty("commands").EnumerateArray())
            {
                if (!command.TryGetProperty("filename", out var file)
                    || (command.TryGetProperty("module_type", out var type) && type.GetString() != "binary"))
                {
                    continue;
                }

                modules.Add(new ScriptModule(
                    script,
                    command.GetProperty("line").GetInt32(),
                    command.GetProperty("type").GetString()!,
                    File.ReadAllBytes(Path.Combine(workDirectory, file.GetString()!)),
                    command.TryGetProperty("text", out var text) ? text.GetString() : null));
            }
        }

        return modules;
    }

    private static void Convert(string wast, string json)
    {
        var start = new ProcessStartInfo("wast2json")
        {
            ArgumentList = { "--enable-all", wast, "-o", json },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start wast2json; install wabt");
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wast2json failed on {wast}: {errors}");
        }
    }

    private static string RepositoryRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));
}
