using System.Security.Cryptography;
using WasmKube.NodeAgent.Install;

namespace WasmKube.NodeAgent.Tests;

/// <summary>Writes node payloads as the image build does: the files, VERSION, and SHA256SUMS over all of them.</summary>
internal static class Payload
{
    public static string Create(string directory, string version, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        File.WriteAllText(Path.Combine(directory, PayloadManifest.VersionFileName), version + "\n");
        WriteManifest(directory);
        return directory;
    }

    /// <summary>SHA256SUMS in sha256sum's text format over every file of the folder.</summary>
    public static void WriteManifest(string directory)
    {
        var lines = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f))
            .Where(f => f != PayloadManifest.FileName)
            .Order(StringComparer.Ordinal)
            .Select(f => $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, f))))}  {f}\n");
        File.WriteAllText(Path.Combine(directory, PayloadManifest.FileName), string.Concat(lines));
    }
}
