using System.Security.Cryptography;
using System.Text.Json;

namespace WasmKube.NodeAgent.Install;

/// <summary>
/// Copies the shim and its files onto the host. Each file is written beside its target and renamed over it, so a
/// containerd starting a shim at any moment sees either the old or the new file, never a partial one. Files whose
/// content is already in place are not touched; a lock file records the sha256 of what was installed.
/// </summary>
public sealed class BinaryInstaller(string sourceDirectory, string targetDirectory)
{
    public const string LockFileName = ".wasmkube.lock";

    public string SourceDirectory { get; } = sourceDirectory;

    public string TargetDirectory { get; } = targetDirectory;

    /// <summary>Installs every file of the source tree; returns the relative paths that changed.</summary>
    public async Task<IReadOnlyList<string>> InstallAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(SourceDirectory))
            throw new DirectoryNotFoundException($"the shim files to install are not at {SourceDirectory}; check the agent image or --shim-source");
        Directory.CreateDirectory(TargetDirectory);

        var installed = ReadLock();
        var changed = new List<string>();
        foreach (var source in Directory.EnumerateFiles(SourceDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(SourceDirectory, source);
            var target = Path.Combine(TargetDirectory, relative);
            var hash = await HashAsync(source, cancellationToken).ConfigureAwait(false);
            // The lock says what we wrote; the file on disk is checked too, so a file changed by hand is repaired.
            if (installed.TryGetValue(relative, out var recorded) && recorded == hash && File.Exists(target) &&
                await HashAsync(target, cancellationToken).ConfigureAwait(false) == hash)
                continue;

            await ReplaceAsync(source, target, cancellationToken).ConfigureAwait(false);
            installed[relative] = hash;
            changed.Add(relative);
        }

        if (changed.Count > 0) WriteLock(installed);
        return changed;
    }

    /// <summary>Removes what the lock file says was installed, then the lock file.</summary>
    public IReadOnlyList<string> Uninstall()
    {
        var installed = ReadLock();
        foreach (var relative in installed.Keys)
        {
            File.Delete(Path.Combine(TargetDirectory, relative));
        }

        File.Delete(Path.Combine(TargetDirectory, LockFileName));
        return [.. installed.Keys];
    }

    private static async Task ReplaceAsync(string source, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = $"{target}.{Environment.ProcessId}.tmp";
        try
        {
            await using (var input = File.OpenRead(source))
            await using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.WriteThrough))
            {
                await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }

            File.SetUnixFileMode(temporary, File.GetUnixFileMode(source));
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private Dictionary<string, string> ReadLock()
    {
        var path = Path.Combine(TargetDirectory, LockFileName);
        if (!File.Exists(path)) return new(StringComparer.Ordinal);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), NodeAgentJsonContext.Default.DictionaryStringString)
                ?? new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // A damaged lock only costs re-copying; the hashes of the files themselves decide.
            return new(StringComparer.Ordinal);
        }
    }

    private void WriteLock(Dictionary<string, string> installed)
    {
        var path = Path.Combine(TargetDirectory, LockFileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(installed, NodeAgentJsonContext.Default.DictionaryStringString));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
