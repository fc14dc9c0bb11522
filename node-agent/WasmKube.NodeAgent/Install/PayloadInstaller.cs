namespace WasmKube.NodeAgent.Install;

/// <summary>
/// Installs the node payload (shim and executors) as a version of its own, <c>INSTALL_ROOT/VERSION/</c>, and makes
/// it the one containerd starts by replacing the symlink <c>INSTALL_ROOT/current</c> with rename(2): a shim starting
/// at any moment resolves either the old or the new version, never a mix, and a running shim keeps running the files
/// of the version it was started from (the executor is found beside the shim's real path).
/// The payload is verified against its <see cref="PayloadManifest"/> before anything on the node changes, and the
/// copy is verified again before the switch. <c>INSTALL_ROOT/previous</c> names the version replaced, so a rollback
/// is one more switch. Versions other than current and previous are removed once no process runs from them.
/// </summary>
public sealed class PayloadInstaller(string sourceDirectory, string installRoot, IPayloadUsage usage)
{
    public const string CurrentLink = "current";
    public const string PreviousLink = "previous";
    private const string TemporaryPrefix = ".wasmkube-";

    public string SourceDirectory { get; } = sourceDirectory;

    /// <summary>The install root as this process sees it (under the host root in a pod).</summary>
    public string InstallRoot { get; } = installRoot;

    public string? CurrentVersion => ReadLink(CurrentLink);

    public string? PreviousVersion => ReadLink(PreviousLink);

    public async Task<PayloadInstallation> InstallAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(SourceDirectory))
            throw new DirectoryNotFoundException($"the node payload to install is not at {SourceDirectory}; check the agent image or --shim-source");
        var manifest = PayloadManifest.Read(SourceDirectory);
        var problems = await manifest.VerifyAsync(SourceDirectory, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            throw new PayloadException(
                $"the payload in {SourceDirectory} does not match its {PayloadManifest.FileName}: {Summary(problems)}; nothing on the node was changed " +
                $"(current version: {CurrentVersion ?? "none"})");
        }

        Directory.CreateDirectory(InstallRoot);
        RemoveLeftovers();
        var target = Path.Combine(InstallRoot, manifest.Version);
        var copied = false;
        if (!Directory.Exists(target) || (await manifest.VerifyAsync(target, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            await StageAsync(manifest, target, cancellationToken).ConfigureAwait(false);
            copied = true;
        }

        var current = CurrentVersion;
        var switched = current != manifest.Version;
        if (switched)
        {
            // previous first: a crash between the two leaves both naming the old version, which still works.
            if (current is not null) SetLink(PreviousLink, current);
            SetLink(CurrentLink, manifest.Version);
        }

        return new PayloadInstallation(manifest.Version, copied, switched, switched ? current : PreviousVersion, RemoveUnused());
    }

    /// <summary>Makes the previous version current again (and the current one previous), after verifying it.</summary>
    public async Task<PayloadInstallation> RollbackAsync(CancellationToken cancellationToken = default)
    {
        var current = CurrentVersion;
        var previous = PreviousVersion;
        var folder = previous is null ? null : Path.Combine(InstallRoot, previous);
        if (previous is null || !Directory.Exists(folder))
            throw new PayloadException($"there is no previous version under {InstallRoot} to roll back to (current: {current ?? "none"})");

        var problems = await PayloadManifest.Read(folder).VerifyAsync(folder, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
            throw new PayloadException($"the previous version {previous} is damaged ({Summary(problems)}); {current ?? "nothing"} stays current");

        if (current is not null) SetLink(PreviousLink, current);
        SetLink(CurrentLink, previous);
        return new PayloadInstallation(previous, false, true, current, []);
    }

    /// <summary>
    /// Removes the links and every version no process runs from; returns the versions left in place. A node where
    /// nothing was ever installed (setup failed before the payload) has nothing to remove.
    /// </summary>
    public IReadOnlyList<string> Uninstall()
    {
        if (!Directory.Exists(InstallRoot)) return [];
        foreach (var link in new[] { CurrentLink, PreviousLink })
        {
            var path = Path.Combine(InstallRoot, link);
            if (new FileInfo(path).LinkTarget is not null) File.Delete(path);
        }

        RemoveLeftovers();
        RemoveUnused();
        return [.. InstalledVersions()];
    }

    private async Task StageAsync(PayloadManifest manifest, string target, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(InstallRoot, $"{TemporaryPrefix}staging-{manifest.Version}-{Environment.ProcessId}");
        try
        {
            foreach (var source in Directory.EnumerateFiles(SourceDirectory, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(staging, Path.GetRelativePath(SourceDirectory, source));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                await using (var input = File.OpenRead(source))
                await using (var output = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.WriteThrough))
                {
                    await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }

                File.SetUnixFileMode(copy, File.GetUnixFileMode(source));
            }

            var problems = await manifest.VerifyAsync(staging, cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
                throw new PayloadException($"the copy of the payload in {staging} does not match its manifest ({Summary(problems)}); check the disk under {InstallRoot}");

            if (Directory.Exists(target))
            {
                // A damaged install of the same version: moved aside in one rename, so the name is never half-filled.
                var damaged = Path.Combine(InstallRoot, $"{TemporaryPrefix}damaged-{manifest.Version}-{Environment.ProcessId}");
                Directory.Move(target, damaged);
                Directory.Delete(damaged, recursive: true);
            }

            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private IReadOnlyList<string> RemoveUnused()
    {
        var keep = new HashSet<string?>(StringComparer.Ordinal) { CurrentVersion, PreviousVersion };
        var removed = new List<string>();
        foreach (var version in InstalledVersions())
        {
            if (keep.Contains(version) || usage.IsInUse(version)) continue;
            Directory.Delete(Path.Combine(InstallRoot, version), recursive: true);
            removed.Add(version);
        }

        return removed;
    }

    /// <summary>Folders this installer made: a version's name holding a manifest.</summary>
    private IEnumerable<string> InstalledVersions() =>
        Directory.Exists(InstallRoot)
            ? Directory.EnumerateDirectories(InstallRoot)
                .Where(d => new DirectoryInfo(d).LinkTarget is null && File.Exists(Path.Combine(d, PayloadManifest.FileName)))
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(PayloadManifest.IsValidVersion)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>Staging folders and links of an interrupted run: never current, so never in use.</summary>
    private void RemoveLeftovers()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(InstallRoot, TemporaryPrefix + "*"))
        {
            if (new FileInfo(entry).LinkTarget is null && Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }

    private string? ReadLink(string name)
    {
        var target = new FileInfo(Path.Combine(InstallRoot, name)).LinkTarget;
        return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
    }

    /// <summary>Points <paramref name="name"/> at a version with a relative link (valid inside and outside the host root).</summary>
    private void SetLink(string name, string version)
    {
        var temporary = Path.Combine(InstallRoot, $"{TemporaryPrefix}link-{name}-{Environment.ProcessId}");
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, version);
        NativeMethods.Rename(temporary, Path.Combine(InstallRoot, name));
    }

    private static string Summary(IReadOnlyList<string> problems) =>
        string.Join("; ", problems.Take(3)) + (problems.Count > 3 ? $" and {problems.Count - 3} more" : "");
}
