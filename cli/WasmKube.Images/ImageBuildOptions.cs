namespace WasmKube.Images;

/// <summary>What goes into an image: the module as entrypoint, extra files, name, platform.</summary>
public sealed record ImageBuildOptions
{
    /// <summary>Host path of the .wasm module.</summary>
    public required string ModulePath { get; init; }

    /// <summary>Where the module lives in the image; it is also the entrypoint.</summary>
    public string ModuleImagePath { get; init; } = "/app.wasm";

    public IReadOnlyList<ImageFile> Files { get; init; } = [];

    public required ImageReference Reference { get; init; }

    /// <summary>
    /// The platforms the image is labelled for: one config and manifest each over the same layer. One platform gives
    /// a plain manifest; more are listed in an image index.
    /// </summary>
    public IReadOnlyList<ImagePlatform> Platforms { get; init; } = ImagePlatform.Portable;

    /// <summary>Labels the image for this one platform only (e.g. a native linux/amd64 image).</summary>
    public ImagePlatform Platform
    {
        get => Platforms[0];
        init => Platforms = [value];
    }

    /// <summary>Arguments after the module (the image's Cmd).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>Fixed timestamp so the same inputs give the same digests.</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>Check the module's "\0asm" magic (off to package anything, e.g. a native test image).</summary>
    public bool RequireWasm { get; init; } = true;
}
