using WasmKube.NodeAgent.Containerd;

namespace WasmKube.NodeAgent.Install;

/// <summary>
/// Registers (or removes) the runtime handler in the node's containerd config: reads the file, edits it with
/// <see cref="ContainerdConfig"/>, has the host's containerd load the candidate (<c>config dump</c>) before anything
/// is replaced, keeps a backup of the user's original, and writes atomically.
/// </summary>
public sealed class RuntimeHandlerInstaller(HostCommands host)
{
    public const string BackupSuffix = ".wasmkube-backup";

    public async Task<HandlerRegistration> RegisterAsync(ContainerdConfigTarget target, RuntimeHandler handler, CancellationToken cancellationToken = default)
    {
        var config = await ReadAsync(target, cancellationToken).ConfigureAwait(false);
        var edit = config.AddHandler(handler);
        if (!edit.Changed) return new HandlerRegistration(false, null, config.CgroupDriver);

        if (!target.IsTemplate) await VerifyAsync(target, edit.Text, cancellationToken).ConfigureAwait(false);
        var backup = Write(target, edit.Text);
        return new HandlerRegistration(true, backup, config.CgroupDriver);
    }

    public async Task<HandlerRegistration> UnregisterAsync(ContainerdConfigTarget target, string handlerName, CancellationToken cancellationToken = default)
    {
        var path = host.LocalPath(target.ConfigPath);
        if (!File.Exists(path)) return new HandlerRegistration(false, null, CgroupDriver.Cgroupfs);
        if (target.IsDropIn)
        {
            File.Delete(path);
            return new HandlerRegistration(true, null, CgroupDriver.Cgroupfs);
        }

        var config = await ReadAsync(target, cancellationToken).ConfigureAwait(false);
        var edit = config.RemoveHandler(handlerName);
        if (!edit.Changed) return new HandlerRegistration(false, null, config.CgroupDriver);
        return new HandlerRegistration(true, Write(target, edit.Text), config.CgroupDriver);
    }

    private async Task<ContainerdConfig> ReadAsync(ContainerdConfigTarget target, CancellationToken cancellationToken)
    {
        var path = host.LocalPath(target.ConfigPath);
        string text;
        if (File.Exists(path))
        {
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ContainerdConfigException($"cannot read the containerd config {target.ConfigPath}: {e.Message}; run the agent privileged with the host root mounted", e);
            }
        }
        else
        {
            text = await InitialTextAsync(target, cancellationToken).ConfigureAwait(false);
        }

        return ContainerdConfig.Parse(text, target.IsTemplate, await VersionHintAsync(target, cancellationToken).ConfigureAwait(false));
    }

    // A missing file means containerd runs on its defaults. A file holding only our table would replace the whole
    // CRI section (containerd decodes the plugin table over its defaults map by map), so start from the defaults.
    private async Task<string> InitialTextAsync(ContainerdConfigTarget target, CancellationToken cancellationToken)
    {
        if (target.IsTemplate) return "{{ template \"base\" . }}\n";
        if (target.IsDropIn) return "version = 2\n";
        var defaults = await host.RunAsync("containerd", ["config", "default"], cancellationToken).ConfigureAwait(false);
        if (!defaults.Succeeded)
            throw new ContainerdConfigException($"{target.ConfigPath} does not exist and `containerd config default` failed ({defaults.Stderr.Trim()}); create the config or pass --containerd-config");
        return defaults.Stdout;
    }

    private async Task<int?> VersionHintAsync(ContainerdConfigTarget target, CancellationToken cancellationToken)
    {
        if (target.RenderedConfigPath is null) return null;
        var rendered = host.LocalPath(target.RenderedConfigPath);
        if (!File.Exists(rendered)) return null;
        try
        {
            return ContainerdConfig.Parse(await File.ReadAllTextAsync(rendered, cancellationToken).ConfigureAwait(false)).Version;
        }
        catch (ContainerdConfigException)
        {
            return null;
        }
    }

    private async Task VerifyAsync(ContainerdConfigTarget target, string text, CancellationToken cancellationToken)
    {
        var candidate = target.ConfigPath + ".wasmkube-candidate";
        var candidateOnHost = host.LocalPath(candidate);
        Directory.CreateDirectory(Path.GetDirectoryName(candidateOnHost)!);
        await File.WriteAllTextAsync(candidateOnHost, text, cancellationToken).ConfigureAwait(false);
        try
        {
            var dump = await host.RunAsync("containerd", ["--config", host.CommandPath(candidate), "config", "dump"], cancellationToken).ConfigureAwait(false);
            if (dump.ExitCode == 127) return; // no containerd binary where we can run it (k0s ships its own); the parse check stands
            if (!dump.Succeeded)
                throw new ContainerdConfigException($"containerd refuses the edited config ({dump.Stderr.Trim()}); {target.ConfigPath} was left unchanged");
        }
        finally
        {
            File.Delete(candidateOnHost);
        }
    }

    private string? Write(ContainerdConfigTarget target, string text)
    {
        var path = host.LocalPath(target.ConfigPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string? backup = null;
        if (File.Exists(path) && !target.IsDropIn)
        {
            // The first backup holds the user's own file; later runs must not overwrite it with an edited one.
            backup = path + BackupSuffix;
            if (!File.Exists(backup)) File.Copy(path, backup);
        }

        var temporary = path + ".wasmkube-tmp";
        File.WriteAllText(temporary, text);
        if (File.Exists(path)) File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
        File.Move(temporary, path, overwrite: true);
        return backup;
    }
}
