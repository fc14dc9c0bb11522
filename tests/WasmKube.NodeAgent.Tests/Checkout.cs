namespace WasmKube.NodeAgent.Tests;

/// <summary>The checkout the tests run from: build output lives below it (.build/), so it is found above the base directory.</summary>
internal static class Checkout
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WasmKube.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException($"no checkout (WasmKube.sln) above {AppContext.BaseDirectory}");
    }
}
