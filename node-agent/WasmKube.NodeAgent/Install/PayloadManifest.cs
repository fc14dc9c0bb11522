using System.Globalization;
using System.Security.Cryptography;

namespace WasmKube.NodeAgent.Install;

/// <summary>
/// What a node payload (the shim and its executors) must contain, written when the payload is built: a
/// <c>SHA256SUMS</c> file in <c>sha256sum</c>'s format ("hash, two spaces, relative path" per line) listing every
/// other file, one of which is <c>VERSION</c>, the name of the folder the payload is installed into.
/// </summary>
public sealed record PayloadManifest(string Version, IReadOnlyDictionary<string, string> Files)
{
    public const string FileName = "SHA256SUMS";
    public const string VersionFileName = "VERSION";

    /// <summary>Reads the manifest and the version of the payload in <paramref name="directory"/>.</summary>
    public static PayloadManifest Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new PayloadException($"{path} is missing: the payload carries no checksums, so it cannot be verified; rebuild the agent image with ./build.sh images");

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0) continue;
            // "HASH  PATH" (text mode) or "HASH *PATH" (binary mode): sha256sum writes either.
            if (line.Length < 67 || line[64] != ' ' || line[65] is not (' ' or '*') || !IsLowerHex(line.AsSpan(0, 64)))
                throw new PayloadException($"{path} line {number.ToString(CultureInfo.InvariantCulture)} is not \"<sha256>  <path>\": {line}");
            var relative = line[66..];
            if (relative.StartsWith("./", StringComparison.Ordinal)) relative = relative[2..];
            if (Path.IsPathRooted(relative) || relative.Split('/').Contains(".."))
                throw new PayloadException($"{path} line {number.ToString(CultureInfo.InvariantCulture)} names a file outside the payload: {relative}");
            files[relative] = line[..64];
        }

        if (!files.ContainsKey(VersionFileName))
            throw new PayloadException($"{path} does not list {VersionFileName}; the payload's version is unknown");
        var version = File.Exists(Path.Combine(directory, VersionFileName)) ? File.ReadAllText(Path.Combine(directory, VersionFileName)).Trim() : "";
        if (!IsValidVersion(version))
            throw new PayloadException($"{Path.Combine(directory, VersionFileName)} holds \"{version}\", which is no usable version (letters, digits, '.', '_', '+', '-'; not starting with '.')");
        return new PayloadManifest(version, files);
    }

    /// <summary>Names of folders under the install root that are not versions.</summary>
    public static bool IsValidVersion(string version) =>
        version.Length is > 0 and <= 128 && version[0] != '.' && version is not (PayloadInstaller.CurrentLink or PayloadInstaller.PreviousLink or "etc" or "bin") &&
        version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-');

    /// <summary>
    /// What in <paramref name="directory"/> differs from the manifest: files missing, with another sha256, or not
    /// listed. Empty when the folder holds exactly the payload.
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(string directory, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        foreach (var (relative, expected) in Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var file = Path.Combine(directory, relative);
            if (!File.Exists(file))
            {
                problems.Add($"{relative} is missing");
                continue;
            }

            var actual = await HashAsync(file, cancellationToken).ConfigureAwait(false);
            if (actual != expected) problems.Add($"{relative} has sha256 {actual}, the manifest says {expected}");
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, file);
            if (relative != FileName && !Files.ContainsKey(relative)) problems.Add($"{relative} is not in the manifest");
        }

        return problems;
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')) return false;
        }

        return true;
    }
}
