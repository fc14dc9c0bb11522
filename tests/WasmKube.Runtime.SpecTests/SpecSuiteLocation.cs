using System.Reflection;

namespace WasmKube.Runtime.SpecTests;

/// <summary>Where the WebAssembly core spec suite (.wast files) is, or why it is not available.</summary>
internal sealed record SpecSuiteLocation(string? Directory, string? MissingReason)
{
    public const string EnvironmentVariable = "WASM_SPEC_TESTSUITE";

    /// <summary>The .wast file names (no folder), sorted ordinally; empty when the suite is missing.</summary>
    public IReadOnlyList<string> ScriptFiles { get; } = Directory is null
        ? []
        : [.. System.IO.Directory.EnumerateFiles(Directory, "*.wast").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>$WASM_SPEC_TESTSUITE when set, else ../shared/wasm-spec-testsuite beside the repository root.</summary>
    public static SpecSuiteLocation Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasScripts(configured)
                ? new SpecSuiteLocation(Path.GetFullPath(configured), null)
                : new SpecSuiteLocation(null, $"{EnvironmentVariable}={configured} holds no .wast files; point it at a checkout of the WebAssembly testsuite");
        }

        var root = RepositoryRoot();
        var candidate = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "wasm-spec-testsuite"));
        return candidate is not null && HasScripts(candidate)
            ? new SpecSuiteLocation(candidate, null)
            : new SpecSuiteLocation(null, $"WebAssembly spec suite not found at {candidate ?? "../shared/wasm-spec-testsuite"}; set {EnvironmentVariable} to a folder of .wast files");
    }

    private static bool HasScripts(string directory) =>
        System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFiles(directory, "*.wast").Any();

    private static string? RepositoryRoot()
    {
        var recorded = typeof(SpecSuiteLocation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "WasmKube.sln")))
        {
            return recorded;
        }

        // The assembly may have been built elsewhere and copied: look upwards from the working folder instead.
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WasmKube.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
