namespace WasmKube.Shim.Bootstrap;

/// <summary>
/// The command line containerd gives a runtime v2 shim (Go flag syntax: -name value, --name value, -name=value),
/// plus -socket, which the daemon form receives from start.
/// </summary>
public sealed record ShimOptions
{
    public string Namespace { get; init; } = "default";

    public string Address { get; init; } = "";

    public string PublishBinary { get; init; } = "";

    public string Id { get; init; } = "";

    public string Bundle { get; init; } = "";

    public string Socket { get; init; } = "";

    public bool Debug { get; init; }

    public string Action { get; init; } = "";

    public static ShimOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ShimOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                options = options with { Action = arg };
                continue;
            }

            var name = arg.TrimStart('-');
            string? value = null;
            var equals = name.IndexOf('=');
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (name is "debug" or "v")
            {
                options = options with { Debug = name == "debug" ? value is null or "true" : options.Debug, Action = name == "v" ? "version" : options.Action };
                continue;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"flag -{name} needs a value");
                }

                value = args[++i];
            }

            options = name switch
            {
                "namespace" => options with { Namespace = value },
                "address" => options with { Address = value },
                "publish-binary" => options with { PublishBinary = value },
                "id" => options with { Id = value },
                "bundle" => options with { Bundle = value },
                "socket" => options with { Socket = value },
                _ => options,
            };
        }

        return options;
    }

    /// <summary>Flags to hand on to the daemon.</summary>
    public IEnumerable<string> ToArguments() =>
    [
        "-namespace", Namespace, "-address", Address, "-publish-binary", PublishBinary, "-id", Id,
        .. Debug ? new[] { "-debug" } : [],
    ];
}
