namespace WasmKube.NodeAgent.Tests.Images;

/// <summary>The OCI archives <c>./build.sh images</c> writes into artifacts/images of the checkout.</summary>
internal static class ImageArchives
{
    /// <summary>The images' names: the tag is the repository's VERSION, as images/build.sh writes it by default.</summary>
    public static string OperatorImage => $"docker.io/wasmkube/wasmkube-operator:{Version}";

    public static string AgentImage => $"docker.io/wasmkube/wasmkube-node-agent:{Version}";

    public static string Version => File.ReadAllText(Path.Combine(Checkout.Root, "VERSION")).Trim();

    public static string Operator => Path.Combine(Folder, "wasmkube-operator.tar");

    public static string Agent => Path.Combine(Folder, "wasmkube-node-agent.tar");

    public static string Folder => Path.Combine(Checkout.Root, "artifacts", "images");

    public static bool Built => File.Exists(Operator) && File.Exists(Agent);
}
