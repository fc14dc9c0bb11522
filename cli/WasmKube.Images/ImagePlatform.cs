namespace WasmKube.Images;

/// <summary>
/// A platform written into an image config and its index entry. wasi/wasm names what the image holds and is what
/// containerd 2.x selects for a runtime handler configured with that platform; containerd 1.6/1.7 and kubelet only
/// unpack images of the node's own platform (linux/amd64, linux/arm64), so a wasm image also carries entries for those.
/// </summary>
public sealed record ImagePlatform(string Os, string Architecture, string? Variant = null)
{
    public static readonly ImagePlatform Wasi = new("wasi", "wasm");
    public static readonly ImagePlatform LinuxAmd64 = new("linux", "amd64");
    public static readonly ImagePlatform LinuxArm64 = new("linux", "arm64", "v8");

    /// <summary>
    /// What <c>wasmkube image build</c> writes by default: one manifest per platform over the same layer, so the same
    /// image name pulls without flags on containerd 1.6/1.7 (amd64 and arm64 nodes) and on 2.x (wasi/wasm).
    /// </summary>
    public static readonly IReadOnlyList<ImagePlatform> Portable = [Wasi, LinuxAmd64, LinuxArm64];

    public static ImagePlatform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            throw new ArgumentException($"platform \"{text}\" must have the form OS/ARCH[/VARIANT], e.g. wasi/wasm, linux/amd64 or linux/arm64/v8");
        }

        return new ImagePlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
