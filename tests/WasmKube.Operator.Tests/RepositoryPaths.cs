using System.Runtime.CompilerServices;

namespace WasmKube.Operator.Tests;

/// <summary>Finds files of the checkout (the build output lives elsewhere, so the base directory does not help).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Crd => Path.Combine(Root, "crds", "wasmworkloads.wasmkube.io.yaml");

    private static string FindRoot([CallerFilePath] string source = "")
    {
        for (var directory = Path.GetDirectoryName(source); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(Path.Combine(directory, "crds")) && File.Exists(Path.Combine(directory, "WasmKube.sln")))
            {
                return directory;
            }
        }
        throw new DirectoryNotFoundException($"No checkout root (with crds/ and WasmKube.sln) above {source}.");
    }
}
