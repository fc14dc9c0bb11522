using WasmKube.Shim.Bootstrap;

namespace WasmKube.Shim.Tests;

public sealed class ShimOptionsTests
{
    [Fact]
    public void Parses_the_start_command_line_containerd_1_6_gives()
    {
        var options = ShimOptions.Parse(["-namespace", "k8s.io", "-address", "/run/containerd/containerd.sock", "-publish-binary", "/usr/bin/containerd", "-id", "abc", "-debug", "start"]);

        Assert.Equal("k8s.io", options.Namespace);
        Assert.Equal("/run/containerd/containerd.sock", options.Address);
        Assert.Equal("/usr/bin/containerd", options.PublishBinary);
        Assert.Equal("abc", options.Id);
        Assert.True(options.Debug);
        Assert.Equal("start", options.Action);
    }

    [Fact]
    public void Accepts_go_flag_spellings_and_the_delete_bundle()
    {
        var options = ShimOptions.Parse(["--namespace=default", "-id=x", "-bundle", "/b", "delete"]);

        Assert.Equal("default", options.Namespace);
        Assert.Equal("x", options.Id);
        Assert.Equal("/b", options.Bundle);
        Assert.Equal("delete", options.Action);
    }

    [Fact]
    public void A_flag_without_its_value_is_an_error_naming_it() =>
        Assert.Contains("-id", Assert.Throws<ArgumentException>(() => ShimOptions.Parse(["-id"])).Message);

    [Fact]
    public void Socket_paths_follow_containerds_convention_and_fit_a_unix_address()
    {
        var first = ShimPaths.Socket("/run/containerd/containerd.sock", "k8s.io", "pod-a");
        var second = ShimPaths.Socket("/run/containerd/containerd.sock", "k8s.io", "pod-b");

        Assert.NotEqual(first, second);
        Assert.Equal(first, ShimPaths.Socket("/run/containerd/containerd.sock", "k8s.io", "pod-a"));
        Assert.True(first.Length < 106, first);
    }
}
