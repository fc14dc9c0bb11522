namespace WasmKube.Cli.Image;

/// <summary>
/// The platform written into the image config and the index. wasi/wasm names what the image holds; linux/amd64
/// (or the node's platform) lets containerd 1.6 and kubelet, which only unpack images of the node's platform,
/// pull and run it.
/// </summary>
public sealed record ImagePlatform(string Os, string Architecture)
{
    public static readonly ImagePlatform Wasi = new("wasi", "wasm");
    public static readonly ImagePlatform LinuxAmd64 = new("linux", "amd64");

    public static ImagePlatform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException($"platform \"{text}\" must have the form OS/ARCH, e.g. wasi/wasm or linux/amd64");
        }

        return new ImagePlatform(parts[0], parts[1]);
    }

    public override string ToString() => $"{Os}/{Architecture}";
}
