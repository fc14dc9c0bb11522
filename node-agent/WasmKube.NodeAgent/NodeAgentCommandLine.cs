using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using WasmKube.Endpoints;

namespace WasmKube.NodeAgent;

/// <summary>Parses <c>--flag value</c> and <c>--flag=value</c> arguments into <see cref="NodeAgentOptions"/>.</summary>
public static class NodeAgentCommandLine
{
    /// <summary>The --help text, generated from the options.</summary>
    public static string HelpText
    {
        get
        {
            var output = new StringWriter(CultureInfo.InvariantCulture);
            new Flags().Root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });
            return output.ToString();
        }
    }

    /// <summary>The options, or null when help was asked for; throws <see cref="ArgumentException"/> naming a bad flag.</summary>
    public static NodeAgentOptions? Parse(IReadOnlyList<string> args)
    {
        var flags = new Flags();
        var result = flags.Root.Parse(args);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", result.Errors.Select(e => e.Message)) + " See --help.");
        }
        if (result.Action is HelpAction)
        {
            return null;
        }
        return new NodeAgentOptions
        {
            HostRoot = result.GetValue(flags.HostRoot)!,
            ShimSource = result.GetValue(flags.ShimSource)!,
            InstallDirectory = result.GetValue(flags.InstallDirectory)!,
            ConfigDirectory = result.GetValue(flags.ConfigDirectory)!,
            ContainerdConfig = result.GetValue(flags.ContainerdConfig),
            ContainerdSocket = result.GetValue(flags.ContainerdSocket)!,
            HandlerName = result.GetValue(flags.Handler)!,
            NodeName = result.GetValue(flags.NodeName),
            StateDirectory = result.GetValue(flags.StateDirectory)!,
            ListenAddress = result.GetValue(flags.Listen)!,
            Kubeconfig = result.GetValue(flags.Kubeconfig),
            RestartContainerd = !result.GetValue(flags.NoRestart),
            // Not given reads as an empty array; a given but empty command is refused by the option's parser.
            RestartCommand = result.GetValue(flags.RestartCommand) is { Length: > 0 } command ? command : null,
            Standalone = result.GetValue(flags.Standalone),
            MetricsOnly = result.GetValue(flags.MetricsOnly),
            Uninstall = result.GetValue(flags.Uninstall),
            Rollback = result.GetValue(flags.Rollback),
        };
    }

    /// <summary>The options of System.CommandLine, with defaults taken from a default <see cref="NodeAgentOptions"/>.</summary>
    private sealed class Flags
    {
        private static readonly NodeAgentOptions Defaults = new();

        public Flags()
        {
            // A named command rather than a RootCommand: the usage line shows the program's name however it is started,
            // and there is no --version (the image tag and the payload's VERSION name the version).
            Root = new Command("wasmkube-node-agent", "wasmkube-node-agent: prepares a node for WasmKube and exports per-workload metrics.")
            {
                HostRoot, ShimSource, InstallDirectory, ConfigDirectory, ContainerdConfig, ContainerdSocket, Handler, NodeName,
                StateDirectory, Listen, Kubeconfig, NoRestart, RestartCommand, Standalone, MetricsOnly, Uninstall, Rollback, new HelpOption(),
            };
        }

        public Command Root { get; }

        public Option<string> HostRoot { get; } = Text("--host-root", "DIR", "where the host's / is mounted; / on the node itself", Defaults.HostRoot);

        public Option<string> ShimSource { get; } = Text("--shim-source", "DIR", "node payload to install: shim, executors, VERSION, SHA256SUMS", Defaults.ShimSource);

        public Option<string> InstallDirectory { get; } = Text("--install-dir", "DIR", "host folder of the installed versions and the \"current\" link", Defaults.InstallDirectory);

        public Option<string> ConfigDirectory { get; } = Text("--config-dir", "DIR", "host folder of the shim's settings and the probe", Defaults.ConfigDirectory);

        public Option<string?> ContainerdConfig { get; } = new("--containerd-config")
        {
            Description = "containerd config to edit (default: found by distribution)",
            HelpName = "FILE",
        };

        public Option<string> ContainerdSocket { get; } = Text("--containerd-socket", "PATH", "containerd's socket", Defaults.ContainerdSocket);

        public Option<string> Handler { get; } = Text("--handler", "NAME", "CRI runtime handler", Defaults.HandlerName);

        public Option<string?> NodeName { get; } = new("--node-name")
        {
            Description = "node to label (default: $NODE_NAME)",
            HelpName = "NAME",
            DefaultValueFactory = _ => Defaults.NodeName,
        };

        public Option<string> StateDirectory { get; } = Text("--state-dir", "DIR", "shim container records", Defaults.StateDirectory);

        public Option<EndpointAddress> Listen { get; } = new("--listen")
        {
            Description = "metrics and probes: :PORT, IP:PORT or http://IP:PORT",
            HelpName = "ADDR",
            DefaultValueFactory = _ => Defaults.ListenAddress,
            CustomParser = result =>
            {
                try
                {
                    return EndpointAddress.Parse(Value(result));
                }
                catch (ArgumentException e)
                {
                    result.AddError($"--listen: {e.Message}");
                    return Defaults.ListenAddress;
                }
            },
        };

        public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
        {
            Description = "API server access (default: $KUBECONFIG, else in-cluster, else ~/.kube/config)",
            HelpName = "FILE",
        };

        public Option<bool> NoRestart { get; } = new("--no-restart") { Description = "never restart containerd" };

        public Option<string[]?> RestartCommand { get; } = new("--restart-command")
        {
            Description = "host command restarting containerd where it is no systemd unit (program and arguments, split at spaces)",
            HelpName = "CMD",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = result =>
            {
                var words = Value(result).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
                    result.AddError("--restart-command needs a program to run.");
                }
                return words;
            },
        };

        public Option<bool> Standalone { get; } = new("--standalone") { Description = "do not talk to the API server" };

        public Option<bool> MetricsOnly { get; } = new("--metrics-only") { Description = "serve metrics and probes only; change nothing on the node" };

        public Option<bool> Uninstall { get; } = new("--uninstall") { Description = "remove handler, shim and node label, then exit" };

        public Option<bool> Rollback { get; } = new("--rollback") { Description = "make the previously installed payload version current, then exit" };

        private static Option<string> Text(string name, string helpName, string description, string fallback) => new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => fallback,
        };

        private static string Value(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
    }
}
