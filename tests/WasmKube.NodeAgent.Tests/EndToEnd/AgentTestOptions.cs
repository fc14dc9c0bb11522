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

    /// <summary>The shim and the executor as they are shipped: both programs in one folder, with VERSION and SHA256SUMS.</summary>
    public static string ShimFiles(TempDirectory temp)
    {
        var folder = temp.Combine("shim");
        if (Directory.Exists(folder)) return folder;
        foreach (var project in new[] { "WasmKube.Shim", "WasmKube.Executor" })
        {
            foreach (var file in Directory.GetFiles(BuildOutput(project)))
            {
                Directory.CreateDirectory(folder);
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
            }
        }

        File.WriteAllText(Path.Combine(folder, "VERSION"), "0.0.0-test\n");
        Payload.WriteManifest(folder);
        return folder;
    }

    private static string BuildOutput(string project)
    {
        var testOutput = AppContext.BaseDirectory.TrimEnd('/');
        var configuration = Path.GetFileName(testOutput);
        var path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(testOutput))!, project, configuration);
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"{project} was not built at {path}");
    }
}
