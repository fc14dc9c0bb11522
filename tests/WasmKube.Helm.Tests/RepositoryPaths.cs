using System.Runtime.CompilerServices;

namespace WasmKube.Helm.Tests;

/// <summary>Files of the checkout (the build output lives elsewhere, so the base directory does not help).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "helm", "wasmkube");

    public static string Crd => Path.Combine(Root, "crds", "wasmworkloads.wasmkube.io.yaml");

    public static string Dashboard => Path.Combine(Root, "node-agent", "dashboards", "wasmkube-workloads.json");

    public static string Version => Path.Combine(Root, "VERSION");

    /// <summary>helm and kubectl as scripts/deps.sh installs them.</summary>
    public static string Tool(string name)
    {
        var path = Path.Combine(Root, ".tools", name);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: run scripts/deps.sh, which installs helm and kubectl into .tools/", path);
    }

    private static string FindRoot([CallerFilePath] string source = "")
    {
        for (var directory = Path.GetDirectoryName(source); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(Path.Combine(directory, "helm")) && File.Exists(Path.Combine(directory, "WasmKube.sln")))
            {
                return directory;
            }
        }
        throw new DirectoryNotFoundException($"No checkout root (with helm/ and WasmKube.sln) above {source}.");
    }
}
