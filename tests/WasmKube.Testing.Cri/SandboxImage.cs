using WasmKube.Images;

namespace WasmKube.Testing.Cri;

/// <summary>
/// A pause-like sandbox image that needs no registry: busybox-static sleeping, built with the image builder. A
/// private containerd names it as its sandbox_image and has it imported into its k8s.io namespace.
/// </summary>
public static class SandboxImage
{
    public const string Reference = "docker.io/library/wasmkube-test-pause:1";

    /// <summary>Writes the image as an OCI archive for <c>ctr image import</c>.</summary>
    public static async Task WriteArchiveAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        OciImageBuilder.Build(new ImageBuildOptions
        {
            ModulePath = "/bin/busybox",
            ModuleImagePath = "/bin/busybox",
            Reference = ImageReference.Parse(Reference),
            Platform = ImagePlatform.LinuxAmd64,
            RequireWasm = false,
            Args = ["sleep", "2147483647"],
        }, file);
    }
}
