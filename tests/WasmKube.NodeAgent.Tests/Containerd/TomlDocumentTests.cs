using WasmKube.NodeAgent.Containerd;

namespace WasmKube.NodeAgent.Tests.Containerd;

public sealed class TomlDocumentTests
{
    [Fact]
    public void Reads_every_string_form()
    {
        var document = TomlDocument.Parse(
            "basic = \"a\\tb\\u00e9\\\"\"\n" +
            "literal = 'C:\\path'\n" +
            "multi = \"\"\"\nline one\\\n   still one\"\"\"\n" +
            "multiliteral = '''\nraw \\n'''\n");

        Assert.Equal(new TomlString("a\tb\u00e9\""), document.Get("basic"));
        Assert.Equal(new TomlString("C:\\path"), document.Get("literal"));
        Assert.Equal(new TomlString("line onestill one"), document.Get("multi"));
        Assert.Equal(new TomlString("raw \\n"), document.Get("multiliteral"));
    }

    [Fact]
    public void Reads_quoted_and_dotted_keys_into_full_paths()
    {
        var document = TomlDocument.Parse(
            "[plugins.\"io.containerd.grpc.v1.cri\"]\n" +
            "containerd.snapshotter = \"overlayfs\"\n" +
            "[plugins.'io.containerd.grpc.v1.cri'.cni]\n" +
            "bin_dir = \"/opt/cni/bin\" # comment\n");

        Assert.Equal(new TomlString("overlayfs"), document.Get("plugins", "io.containerd.grpc.v1.cri", "containerd", "snapshotter"));
        Assert.Equal(new TomlString("/opt/cni/bin"), document.Get("plugins", "io.containerd.grpc.v1.cri", "cni", "bin_dir"));
        Assert.Equal(TomlTableOrigin.DottedKeys, document.OriginOf(["plugins", "io.containerd.grpc.v1.cri", "containerd"]));
        Assert.Equal(TomlTableOrigin.Implicit, document.OriginOf(["plugins"]));
        Assert.Equal(TomlTableOrigin.Header, document.OriginOf(["plugins", "io.containerd.grpc.v1.cri", "cni"]));
    }

    [Fact]
    public void Reads_integers_booleans_arrays_and_inline_tables()
    {
        var document = TomlDocument.Parse(
            "n = -1_000\nhex = 0xff\nyes = true\n" +
            "list = [\n  \"a\", # first\n  \"b\",\n]\n" +
            "point = { x = 1, y.z = 2 }\n");

        Assert.Equal(new TomlInteger(-1000), document.Get("n"));
        Assert.Equal(new TomlInteger(255), document.Get("hex"));
        Assert.Equal(new TomlBoolean(true), document.Get("yes"));
        var list = Assert.IsType<TomlArray>(document.Get("list"));
        Assert.Equal([new TomlString("a"), new TomlString("b")], list.Items);
        Assert.Equal(new TomlInteger(2), document.Get("point", "y", "z"));
        Assert.Equal(TomlTableOrigin.Inline, document.OriginOf(["point"]));
    }

    [Theory]
    [InlineData("a = 1\na = 2\n", "duplicate key")]
    [InlineData("[t]\n[t]\n", "defined more than once")]
    [InlineData("s = \"open\n", "unterminated string")]
    [InlineData("x = what ever\n", "end of the line")]
    [InlineData("p = { a = 1 }\n[p.b]\n", "inline table")]
    public void Rejects_what_toml_forbids(string text, string reason)
    {
        var error = Assert.Throws<TomlException>(() => TomlDocument.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_actions_are_only_accepted_in_template_mode()
    {
        const string text = "{{ template \"base\" . }}\n[t]\nv = {{ .Value }}\n";

        Assert.Throws<TomlException>(() => TomlDocument.Parse(text));
        var document = TomlDocument.Parse(text, templateLines: true);
        Assert.Equal(new TomlOtherScalar("{{ .Value }}"), document.Get("t", "v"));
    }

    [Theory]
    [InlineData("runc", "runc")]
    [InlineData("io.containerd.grpc.v1.cri", "\"io.containerd.grpc.v1.cri\"")]
    [InlineData("kata qemu", "\"kata qemu\"")]
    public void Formats_keys_bare_only_when_they_can_be(string key, string formatted) =>
        Assert.Equal(formatted, TomlDocument.FormatKey(key));
}
