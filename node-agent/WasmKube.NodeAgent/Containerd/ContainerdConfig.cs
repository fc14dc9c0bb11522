using System.Text;

namespace WasmKube.NodeAgent.Containerd;

/// <summary>
/// A containerd configuration file, read to find its version, CRI runtime table and cgroup driver, and edited to add
/// or remove a runtime handler. The handler is written as one block between marker comments at the end of the file,
/// so every other byte of the user's file stays as it was and a second run changes nothing.
/// </summary>
/// <remarks>
/// Why not a drop-in file through <c>imports</c>: containerd 1.6 merges an imported file by replacing each plugin
/// section it names as a whole (checked with <c>containerd config dump</c>): a drop-in holding only our runtime
/// table would drop the user's CRI settings and even the default runc runtime. Version 3 (containerd 2.x) moved the
/// CRI runtime settings to the <c>io.containerd.cri.v1.runtime</c> plugin; version 1 (no version key) uses the
/// <c>cri</c> plugin name. Sources: containerd docs/cri/config.md and docs/PLUGINS.md (version header).
/// </remarks>
public sealed class ContainerdConfig
{
    private const string BeginMarker = "# BEGIN wasmkube runtime handler";
    private const string EndMarker = "# END wasmkube runtime handler";

    private readonly TomlDocument _document;
    private readonly bool _template;

    private ContainerdConfig(TomlDocument document, bool template, int version)
    {
        _document = document;
        _template = template;
        Version = version;
    }

    /// <summary>The config format version: 1 (no version key, containerd 1.x), 2 (containerd 1.x) or 3 (containerd 2.x).</summary>
    public int Version { get; }

    public string Text => _document.Text;

    /// <summary>The table that holds CRI runtime handlers for this version.</summary>
    public IReadOnlyList<string> RuntimesPath => Version switch
    {
        1 => ["plugins", "cri", "containerd", "runtimes"],
        2 => ["plugins", "io.containerd.grpc.v1.cri", "containerd", "runtimes"],
        _ => ["plugins", "io.containerd.cri.v1.runtime", "containerd", "runtimes"],
    };

    /// <summary>
    /// The cgroup driver the node's runc runtime uses: <c>SystemdCgroup</c> in the default runtime's options, or
    /// version 1's <c>systemd_cgroup</c>. Our shim must use the same one so cgroup paths match kubelet's.
    /// </summary>
    public CgroupDriver CgroupDriver
    {
        get
        {
            var cri = RuntimesPath.Take(RuntimesPath.Count - 2).ToArray();
            var defaultRuntime = _document.Get([.. cri, "containerd", "default_runtime_name"]) is TomlString name ? name.Value : "runc";
            var systemd = _document.Get([.. RuntimesPath, defaultRuntime, "options", "SystemdCgroup"]) as TomlBoolean
                ?? (Version == 1 ? _document.Get([.. cri, "systemd_cgroup"]) as TomlBoolean : null);
            return systemd?.Value == true ? CgroupDriver.Systemd : CgroupDriver.Cgroupfs;
        }
    }

    /// <summary>
    /// Reads a config. With <paramref name="template"/>, whole-line Go template actions are allowed (k3s and rke2
    /// <c>config.toml.tmpl</c>); <paramref name="versionHint"/> gives the version when the text has none of its own
    /// (a template that renders the distribution's base config first).
    /// </summary>
    public static ContainerdConfig Parse(string text, bool template = false, int? versionHint = null)
    {
        TomlDocument document;
        try
        {
            document = TomlDocument.Parse(text, template);
        }
        catch (TomlException e)
        {
            throw new ContainerdConfigException(
                $"the containerd config is not TOML this installer can edit safely ({e.Message}); fix the file or register the handler by hand", e);
        }

        var version = document.Get("version") switch
        {
            null => versionHint ?? 1,
            TomlInteger { Value: >= 1 and <= 3 } v => (int)v.Value,
            var other => throw new ContainerdConfigException(
                $"containerd config version {Describe(other)} is not supported (1, 2 and 3 are); register the handler by hand"),
        };
        return new ContainerdConfig(document, template, version);
    }

    /// <summary>
    /// The <c>runtime_type</c> written for a handler. containerd 1.x's CRI plugin (config versions 1 and 2) ignores
    /// <c>runtime_path</c> when it starts a pod sandbox and looks the shim up by name on its own PATH (containerd
    /// issue 8207, seen with 1.6.20), but uses an absolute runtime name as the shim's path; so there the shim's path
    /// is the runtime type. containerd 2.x (version 3) honours <c>runtime_path</c>.
    /// </summary>
    public string RuntimeTypeFor(RuntimeHandler handler) => Version < 3 ? handler.RuntimePath : handler.RuntimeType;

    /// <summary>Whether the handler is present, in a block this installer manages or written by someone else.</summary>
    public bool HasHandler(string name) => _document.OriginOf([.. RuntimesPath, name]) != TomlTableOrigin.None;

    /// <summary>Adds the handler, or brings an earlier managed block up to date. Idempotent.</summary>
    public ConfigEdit AddHandler(RuntimeHandler handler)
    {
        var block = RenderBlock(handler);
        var (start, end) = FindManagedBlock(handler.Name);
        if (start < 0)
        {
            CheckExtensible(handler.Name);
            var text = Text;
            if (text.Length > 0 && !text.EndsWith('\n')) text += "\n";
            if (text.Length > 0) text += "\n";
            return Checked(text + block, handler);
        }

        var updated = Text[..start] + block + Text[end..];
        return updated == Text ? new ConfigEdit(Text, false) : Checked(updated, handler);
    }

    /// <summary>Removes a managed handler block (and the blank line written before it). Idempotent.</summary>
    public ConfigEdit RemoveHandler(string name)
    {
        var (start, end) = FindManagedBlock(name);
        if (start < 0)
        {
            if (HasHandler(name))
            {
                throw new ContainerdConfigException(
                    $"runtime handler \"{name}\" in the containerd config was not written by this installer; remove it by hand");
            }

            return new ConfigEdit(Text, false);
        }

        if (start >= 2 && Text[start - 1] == '\n' && Text[start - 2] == '\n') start--;
        return new ConfigEdit(Text[..start] + Text[end..], true);
    }

    private ConfigEdit Checked(string text, RuntimeHandler handler)
    {
        // Re-read the result: an edit that does not parse back to the intended entry is never written.
        var reread = Parse(text, _template, Version);
        if (reread._document.Get([.. RuntimesPath, handler.Name, "runtime_type"]) is not TomlString type || type.Value != RuntimeTypeFor(handler))
            throw new ContainerdConfigException("internal error: the edited containerd config does not read back as intended; nothing was written");
        return new ConfigEdit(text, true);
    }

    private void CheckExtensible(string name)
    {
        var path = RuntimesPath.ToList();
        for (var i = 1; i <= path.Count; i++)
        {
            var prefix = path.Take(i).ToList();
            var origin = _document.OriginOf(prefix);
            if (origin is TomlTableOrigin.Inline or TomlTableOrigin.ArrayOfTables)
            {
                throw new ContainerdConfigException(
                    $"the containerd config defines {TomlDocument.FormatPath(prefix)} as {(origin == TomlTableOrigin.Inline ? "an inline table" : "an array of tables")}, " +
                    "which cannot be extended without rewriting it; turn it into a [table] section or register the handler by hand");
            }
        }

        if (HasHandler(name))
        {
            throw new ContainerdConfigException(
                $"the containerd config already defines runtime handler \"{name}\" outside a block managed by this installer; " +
                "remove that entry or keep it and skip the installer's config step");
        }
    }

    private (int Start, int End) FindManagedBlock(string name)
    {
        var begin = $"{BeginMarker} \"{name}\"";
        var end = $"{EndMarker} \"{name}\"";
        var start = FindLine(begin, 0);
        if (start < 0) return (-1, -1);
        var stop = FindLine(end, start);
        if (stop < 0)
        {
            throw new ContainerdConfigException(
                $"the containerd config has a \"{begin}\" line without its \"{end}\" line; restore the file from its backup or fix the block by hand");
        }

        var lineEnd = Text.IndexOf('\n', stop);
        return (start, lineEnd < 0 ? Text.Length : lineEnd + 1);
    }

    private int FindLine(string line, int from)
    {
        for (var at = Text.IndexOf(line, from, StringComparison.Ordinal); at >= 0; at = Text.IndexOf(line, at + 1, StringComparison.Ordinal))
        {
            var startsLine = at == 0 || Text[at - 1] == '\n';
            var after = at + line.Length;
            var endsLine = after == Text.Length || Text[after] is '\n' or '\r';
            if (startsLine && endsLine) return at;
        }

        return -1;
    }

    private string RenderBlock(RuntimeHandler handler)
    {
        var table = TomlDocument.FormatPath([.. RuntimesPath, handler.Name]);
        var builder = new StringBuilder();
        builder.Append($"{BeginMarker} \"{handler.Name}\"\n");
        builder.Append("# managed by wasmkube-node-agent; undo with: wasmkube-node-agent --uninstall\n");
        builder.Append('[').Append(table).Append("]\n");
        builder.Append("  runtime_type = ").Append(TomlDocument.Quote(RuntimeTypeFor(handler))).Append('\n');
        builder.Append("  runtime_path = ").Append(TomlDocument.Quote(handler.RuntimePath)).Append('\n');
        if (handler.PodAnnotations.Count > 0)
        {
            builder.Append("  pod_annotations = [").Append(string.Join(", ", handler.PodAnnotations.Select(TomlDocument.Quote))).Append("]\n");
        }

        builder.Append(EndMarker).Append($" \"{handler.Name}\"\n");
        return builder.ToString();
    }

    private static string Describe(TomlValue value) => value switch
    {
        TomlInteger i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        TomlString s => TomlDocument.Quote(s.Value),
        _ => value.ToString(),
    };
}
