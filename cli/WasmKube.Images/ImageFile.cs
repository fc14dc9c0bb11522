namespace WasmKube.Images;

/// <summary>A file of the image's single layer: host source, absolute path in the image, and permission bits.</summary>
public sealed record ImageFile(string HostPath, string ImagePath, UnixFileMode Mode)
{
    public const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    public const UnixFileMode Regular = (UnixFileMode)0b110_100_100;

    /// <summary>Parses "--file host=guest"; the guest path is made absolute.</summary>
    public static ImageFile Parse(string mapping)
    {
        var equals = mapping.IndexOf('=');
        if (equals <= 0 || equals == mapping.Length - 1)
        {
            throw new ArgumentException($"--file \"{mapping}\" must have the form HOST_PATH=IMAGE_PATH, e.g. ./index.html=/docroot/index.html");
        }

        return new ImageFile(mapping[..equals], "/" + mapping[(equals + 1)..].TrimStart('/'), Regular);
    }
}
