namespace WasmKube.NodeAgent.Tests.EndToEnd;

/// <summary>Agent options for a private containerd, with the shim as the build made it and no systemd restart.</summary>
internal static class AgentTestOptions
{
    public static NodeAgentOptions For(PrivateContainerd containerd, TempDirectory temp) => new()
    {
        HostRoot = "/",
        ShimSource = ShimFiles(temp),
        InstallDirectory = temp.Combine("opt", "wasmkube"),
        ConfigDirectory = temp.Combine("opt", "wasmkube", "etc"),
        ContainerdConfig = containerd.ConfigPath,
        ContainerdSocket = containerd.Socket,
        RestartContainerd = false,
        Standalone = true,
        StateDirectory = containerd.StateDirectory,
    };

    /// <summary>
    /// The node payload as it is shipped: a copy of what build.sh publishes (artifacts/publish/shim: the shim and the
    /// executors with everything they load), with VERSION and SHA256SUMS as the image build writes them.
    /// </summary>
    public static string ShimFiles(TempDirectory temp)
    {
        var folder = temp.Combine("shim");
        if (Directory.Exists(folder)) return folder;
        var published = PublishedPayload();
        foreach (var file in Directory.EnumerateFiles(published, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(published, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }

        File.WriteAllText(Path.Combine(folder, "VERSION"), "0.0.0-test\n");
        Payload.WriteManifest(folder);
        return folder;
    }

    private static string PublishedPayload()
    {
        var payload = Path.Combine(Checkout.Root, "artifacts", "publish", "shim");
        return File.Exists(Path.Combine(payload, "containerd-shim-wasmkube-v1"))
            ? payload
            : throw new DirectoryNotFoundException($"the node payload is not in {payload}: run ./build.sh first, which publishes it");
    }
}
