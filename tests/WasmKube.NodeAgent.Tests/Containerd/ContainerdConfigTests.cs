using System.Diagnostics;
using WasmKube.NodeAgent.Containerd;

namespace WasmKube.NodeAgent.Tests.Containerd;

public sealed class ContainerdConfigTests
{
    private static readonly RuntimeHandler Handler = new(
        "wasmkube",
        "io.containerd.wasmkube.v1",
        "/opt/wasmkube/bin/containerd-shim-wasmkube-v1",
        ["wasmkube.io/*"]);

    public static TheoryData<string> EditableConfigs => new() { "custom-runtimes.toml", "version3.toml", "version1.toml" };

    [Theory]
    [MemberData(nameof(EditableConfigs))]
    public void Adding_keeps_every_other_byte_and_is_idempotent(string file)
    {
        var original = ReadConfig(file);

        var edit = ContainerdConfig.Parse(original).AddHandler(Handler);

        Assert.True(edit.Changed);
        Assert.StartsWith(original, edit.Text, StringComparison.Ordinal);
        var again = ContainerdConfig.Parse(edit.Text).AddHandler(Handler);
        Assert.False(again.Changed);
        Assert.Equal(edit.Text, again.Text);
    }

    [Theory]
    [MemberData(nameof(EditableConfigs))]
    public void Removing_restores_the_original(string file)
    {
        var original = ReadConfig(file);
        var added = ContainerdConfig.Parse(original).AddHandler(Handler).Text;

        var removed = ContainerdConfig.Parse(added).RemoveHandler(Handler.Name);

        Assert.True(removed.Changed);
        Assert.Equal(original, removed.Text);
        Assert.False(ContainerdConfig.Parse(removed.Text).RemoveHandler(Handler.Name).Changed);
    }

    [Theory]
    [InlineData("custom-runtimes.toml", 2, CgroupDriver.Systemd)]
    [InlineData("version3.toml", 3, CgroupDriver.Systemd)]
    [InlineData("version1.toml", 1, CgroupDriver.Cgroupfs)]
    public void Reads_version_and_cgroup_driver(string file, int version, CgroupDriver driver)
    {
        var config = ContainerdConfig.Parse(ReadConfig(file));

        Assert.Equal(version, config.Version);
        Assert.Equal(driver, config.CgroupDriver);
    }

    [Fact]
    public void Handler_is_written_under_the_plugin_of_each_version()
    {
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.wasmkube]",
            ContainerdConfig.Parse(ReadConfig("custom-runtimes.toml")).AddHandler(Handler).Text, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.wasmkube]",
            ContainerdConfig.Parse(ReadConfig("version3.toml")).AddHandler(Handler).Text, StringComparison.Ordinal);
        Assert.Contains("[plugins.cri.containerd.runtimes.wasmkube]",
            ContainerdConfig.Parse(ReadConfig("version1.toml")).AddHandler(Handler).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("custom-runtimes.toml", "/opt/wasmkube/bin/containerd-shim-wasmkube-v1")]
    [InlineData("version1.toml", "/opt/wasmkube/bin/containerd-shim-wasmkube-v1")]
    [InlineData("version3.toml", "io.containerd.wasmkube.v1")]
    public void Containerd_1x_gets_the_shims_path_as_runtime_type(string file, string runtimeType)
    {
        var edited = ContainerdConfig.Parse(ReadConfig(file)).AddHandler(Handler).Text;

        Assert.Contains($"runtime_type = \"{runtimeType}\"", edited, StringComparison.Ordinal);
        Assert.Contains("runtime_path = \"/opt/wasmkube/bin/containerd-shim-wasmkube-v1\"", edited, StringComparison.Ordinal);
    }

    [Fact]
    public void A_k3s_template_is_edited_around_its_template_actions()
    {
        var original = ReadConfig("k3s-config.toml.tmpl");

        var edit = ContainerdConfig.Parse(original, template: true, versionHint: 2).AddHandler(Handler);

        Assert.StartsWith(original, edit.Text, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.wasmkube]", edit.Text, StringComparison.Ordinal);
        Assert.False(ContainerdConfig.Parse(edit.Text, template: true, versionHint: 2).AddHandler(Handler).Changed);
    }

    [Fact]
    public void A_changed_handler_replaces_the_managed_block_in_place()
    {
        var first = ContainerdConfig.Parse(ReadConfig("custom-runtimes.toml")).AddHandler(Handler).Text;
        var moved = Handler with { RuntimePath = "/usr/local/bin/containerd-shim-wasmkube-v1" };

        var second = ContainerdConfig.Parse(first).AddHandler(moved);

        Assert.True(second.Changed);
        Assert.Contains("runtime_path = \"/usr/local/bin/containerd-shim-wasmkube-v1\"", second.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/opt/wasmkube/bin/containerd-shim-wasmkube-v1", second.Text, StringComparison.Ordinal);
        // The path stands twice in a version 2 block: runtime_type and runtime_path.
        Assert.Equal(first.Length + 2 * (moved.RuntimePath.Length - Handler.RuntimePath.Length), second.Text.Length);
    }

    [Theory]
    [InlineData("inline-runtimes.toml", "inline table")]
    [InlineData("foreign-handler.toml", "outside a block managed by this installer")]
    [InlineData("not-toml.toml", "line 2")]
    public void Unsafe_configs_are_refused_with_a_reason(string file, string reason)
    {
        var error = Assert.Throws<ContainerdConfigException>(() => ContainerdConfig.Parse(ReadConfig(file)).AddHandler(Handler));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_version_is_refused()
    {
        var error = Assert.Throws<ContainerdConfigException>(() => ContainerdConfig.Parse("version = 4\n"));

        Assert.Contains("version 4 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_handler_is_not_removed()
    {
        var config = ContainerdConfig.Parse(ReadConfig("foreign-handler.toml"));

        Assert.Throws<ContainerdConfigException>(() => config.RemoveHandler("wasmkube"));
    }

    [Fact]
    public void A_truncated_managed_block_is_refused()
    {
        var added = ContainerdConfig.Parse(ReadConfig("custom-runtimes.toml")).AddHandler(Handler).Text;
        var truncated = added[..added.IndexOf("# END", StringComparison.Ordinal)];

        var error = Assert.Throws<ContainerdConfigException>(() => ContainerdConfig.Parse(truncated).AddHandler(Handler));

        Assert.Contains("backup", error.Message, StringComparison.Ordinal);
    }

    // The judge of an edit is the real containerd: it must load the file and see the handler, and the user's
    // settings must survive. Version 3 files need containerd 2.x, which is not the Debian version; those are checked
    // by the reader above only.
    [Theory]
    [InlineData("custom-runtimes.toml", "registry.internal.example/pause:3.9")]
    [InlineData("version1.toml", "k8s.gcr.io/pause:3.2")]
    public void Real_containerd_loads_the_edited_config_with_the_users_settings(string file, string sandboxImage)
    {
        var edited = ContainerdConfig.Parse(ReadConfig(file)).AddHandler(Handler).Text;

        var dump = ConfigDump(edited);

        Assert.Contains("runtime_type = \"/opt/wasmkube/bin/containerd-shim-wasmkube-v1\"", dump, StringComparison.Ordinal);
        Assert.Contains("runtime_path = \"/opt/wasmkube/bin/containerd-shim-wasmkube-v1\"", dump, StringComparison.Ordinal);
        Assert.Contains($"sandbox_image = \"{sandboxImage}\"", dump, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_containerd_default_config_keeps_runc_after_the_edit()
    {
        var defaults = Run("containerd", "config default");

        var edited = ContainerdConfig.Parse(defaults).AddHandler(Handler);
        var dump = ConfigDump(edited.Text);

        Assert.StartsWith(defaults, edited.Text, StringComparison.Ordinal);
        Assert.Contains("runtime_type = \"io.containerd.runc.v2\"", dump, StringComparison.Ordinal);
        Assert.Contains("runtime_type = \"/opt/wasmkube/bin/containerd-shim-wasmkube-v1\"", dump, StringComparison.Ordinal);
    }

    public static TheoryData<string> StrictlyCheckedConfigs => new() { "custom-runtimes.toml", "version3.toml", "version1.toml", "containerd config default" };

    /// <summary>
    /// Tomlyn's strict parser, independent of our TOML reader, accepts every config the editor writes: valid TOML, no
    /// key or table defined twice, and the handler's table where containerd looks for it.
    /// </summary>
    [Theory]
    [MemberData(nameof(StrictlyCheckedConfigs))]
    public void Every_config_the_editor_writes_is_strict_toml_with_the_handler(string source)
    {
        var original = source.StartsWith("containerd ", StringComparison.Ordinal) ? Run("containerd", source["containerd ".Length..]) : ReadConfig(source);

        var added = ContainerdConfig.Parse(original).AddHandler(Handler).Text;
        var replaced = ContainerdConfig.Parse(added).AddHandler(Handler with { PodAnnotations = ["wasmkube.io/*", "example.com/*"] }).Text;
        var removed = ContainerdConfig.Parse(replaced).RemoveHandler(Handler.Name).Text;

        foreach (var (name, text) in new[] { ("added", added), ("replaced", replaced), ("removed", removed) })
        {
            var exception = Record.Exception(() => Tomlyn.Parsing.SyntaxParser.ParseStrict(text, $"{source} ({name})", true));
            Assert.True(exception is null, $"{source} after the handler was {name}: {exception?.Message}\n{text}");
        }

        Assert.Equal(1, CountRuntimeTables(Tomlyn.TomlSerializer.Deserialize<Tomlyn.Model.TomlTable>(added, (Tomlyn.TomlSerializerOptions?)null)!, Handler.Name));
        Assert.Equal(0, CountRuntimeTables(Tomlyn.TomlSerializer.Deserialize<Tomlyn.Model.TomlTable>(removed, (Tomlyn.TomlSerializerOptions?)null)!, Handler.Name));
    }

    /// <summary>Tables named <paramref name="name"/> inside a <c>runtimes</c> table, anywhere in the document.</summary>
    private static int CountRuntimeTables(Tomlyn.Model.TomlTable table, string name, bool inRuntimes = false) =>
        table.Sum(pair => pair.Value is Tomlyn.Model.TomlTable child
            ? (inRuntimes && pair.Key == name && child.ContainsKey("runtime_type") ? 1 : 0) + CountRuntimeTables(child, name, pair.Key == "runtimes")
            : 0);

    private static string ReadConfig(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Containerd", "Configs", name));

    private static string ConfigDump(string configText)
    {
        var path = Path.Combine(Path.GetTempPath(), $"wasmkube-config-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, configText);
        try
        {
            return Run("containerd", $"--config {path} config dump");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {arguments} failed with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
