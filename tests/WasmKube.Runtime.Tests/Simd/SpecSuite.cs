using System.Runtime.CompilerServices;

namespace WasmKube.Runtime.Tests.Simd;

/// <summary>
/// Where the WebAssembly spec suite (.wast files) is for the tests that replay it: $WASM_SPEC_TESTSUITE when set,
/// else ../shared/wasm-spec-testsuite beside the repository root (the convention of the spec test project).
/// </summary>
internal static class SpecSuite
{
    public const string DirectoryVariable = "WASM_SPEC_TESTSUITE";

    public static string? Directory { get; } = Find();

    public static IEnumerable<string> SimdFiles() =>
        Directory is null
            ? []
            : System.IO.Directory.EnumerateFiles(Directory, "simd_*.wast").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return System.IO.Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        // The build output may live outside the checkout, so also search from this source file's recorded path.
        string?[] starts = [AppContext.BaseDirectory, Environment.CurrentDirectory, Path.GetDirectoryName(SourceFile())];
        foreach (var start in starts.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WasmKube.sln")))
                {
                    var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "wasm-spec-testsuite"));
                    if (System.IO.Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }
        return null;
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
