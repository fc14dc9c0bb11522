namespace WasmKube.Images;

/// <summary>An image name as containerd stores it: "hello:1.0" becomes "docker.io/library/hello:1.0".</summary>
public sealed record ImageReference(string Repository, string Tag)
{
    public static ImageReference Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Contains(' ') || text.Contains('@'))
        {
            throw new ArgumentException($"image name \"{text}\" is invalid: use NAME[:TAG], e.g. hello-wasm:1.0 or registry.example.com/team/app:v2");
        }

        var slash = text.LastIndexOf('/');
        var colon = text.LastIndexOf(':');
        var (repository, tag) = colon > slash ? (text[..colon], text[(colon + 1)..]) : (text, "latest");
        if (repository.Length == 0 || tag.Length == 0 || repository.Any(char.IsUpper))
        {
            throw new ArgumentException($"image name \"{text}\" is invalid: the repository must be lower case and the tag non-empty");
        }

        var first = repository.Split('/')[0];
        var hasDomain = repository.Contains('/') && (first.Contains('.') || first.Contains(':') || first == "localhost");
        if (!hasDomain)
        {
            repository = repository.Contains('/') ? "docker.io/" + repository : "docker.io/library/" + repository;
        }

        return new ImageReference(repository, tag);
    }

    /// <summary>The registry's host[:port], e.g. "docker.io" or "127.0.0.1:5000".</summary>
    public string Registry => Repository[..Repository.IndexOf('/')];

    /// <summary>The repository within the registry, e.g. "library/hello" or "team/app".</summary>
    public string Path => Repository[(Repository.IndexOf('/') + 1)..];

    public override string ToString() => $"{Repository}:{Tag}";
}
