using System.Runtime.InteropServices;

namespace WasmKube.Runtime.Tests.Compilation;

/// <summary>
/// The crossgen2 executable of the Microsoft.NETCore.App.Crossgen2 package that this project's PackageDownload
/// restores into the NuGet package folder during any build.
/// </summary>
internal static class Crossgen2Package
{
    public static string Locate()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var package = Path.Combine(packages, $"microsoft.netcore.app.crossgen2.{RuntimeInformation.RuntimeIdentifier}");
        var found = Directory.Exists(package)
            ? Directory.GetDirectories(package)
                .Select(version => Path.Combine(version, "tools", "crossgen2"))
                .Where(File.Exists)
                .OrderByDescending(path => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var v) ? v : new Version())
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            $"crossgen2 not found under {package}; build the test project (its PackageDownload restores the package) first");
    }
}
