using System.Text.Json.Nodes;
using WasmKube.Contracts;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Tasks;

namespace WasmKube.Shim.Tests;

public sealed class ListenPortsTests
{
    [Theory]
    [InlineData("8080", new[] { 8080 })]
    [InlineData("8080, 9090,8080", new[] { 8080, 9090 })]
    [InlineData("http,70000,0,443", new[] { 443 })]
    [InlineData("", new int[0])]
    public void The_listen_annotation_becomes_the_executors_ports(string annotation, int[] ports)
    {
        var root = JsonNode.Parse("""{"process": {"args": ["/app.wasm"]}, "annotations": {}}""")!;
        root["annotations"]![PodAnnotations.Listen] = annotation;
        var spec = OciSpec.Parse(root);

        Assert.Equal(ports, WasmContainerLauncher.ListenPorts(spec));
    }

    [Fact]
    public void Without_the_annotation_the_guest_gets_no_listener() =>
        Assert.Empty(WasmContainerLauncher.ListenPorts(OciSpec.Parse(JsonNode.Parse("""{"process": {"args": ["/app.wasm"]}}""")!)));
}
