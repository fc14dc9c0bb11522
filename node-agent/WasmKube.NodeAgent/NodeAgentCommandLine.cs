using WasmKube.Kube.Hosting;

namespace WasmKube.NodeAgent;

/// <summary>Parses <c>--flag value</c> and <c>--flag=value</c> arguments into <see cref="NodeAgentOptions"/>.</summary>
public static class NodeAgentCommandLine
{
    public const string Usage = """
        wasmkube-node-agent: prepares a node for WasmKube and exports per-workload metrics.

        Usage: wasmkube-node-agent [flags]
          --host-root DIR            where the host's / is mounted (default /host; use / on the node itself)
          --shim-source DIR          node payload to install: shim, executors, VERSION, SHA256SUMS
                                     (default /opt/wasmkube-agent/shim)
          --install-dir DIR          host folder of the installed versions and the "current" link
                                     (default /opt/wasmkube)
          --config-dir DIR           host folder of the shim's settings and the probe (default /opt/wasmkube/etc)
          --containerd-config FILE   containerd config to edit (default: found by distribution)
          --containerd-socket PATH   (default /run/containerd/containerd.sock)
          --handler NAME             CRI runtime handler (default wasmkube)
          --runtime-class NAME       RuntimeClass to ensure (default wasmkube)
          --node-name NAME           node to label (default $NODE_NAME)
          --state-dir DIR            shim container records (default /run/wasmkube/containers)
          --listen ADDR              metrics and probes: :PORT, IP:PORT or http://IP:PORT (default :9464)
          --kubeconfig FILE          API server access (default: $KUBECONFIG, else in-cluster, else ~/.kube/config)
          --no-restart               never restart containerd
          --restart-command "CMD"    host command restarting containerd where it is no systemd unit
          --standalone               do not talk to the API server
          --metrics-only             serve metrics and probes only; change nothing on the node
          --uninstall                remove handler, shim and node label, then exit
          --rollback                 make the previously installed payload version current, then exit
          --help
        """;

    /// <summary>The options, or null when help was asked for.</summary>
    public static NodeAgentOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new NodeAgentOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = eq > 0 ? arg[..eq] : arg;
            string Value()
            {
                if (eq > 0) return arg[(eq + 1)..];
                if (i + 1 >= args.Count) throw new ArgumentException($"{flag} needs a value");
                return args[++i];
            }

            options = flag switch
            {
                "--help" or "-h" => null,
                "--host-root" => options with { HostRoot = Value() },
                "--shim-source" => options with { ShimSource = Value() },
                "--install-dir" => options with { InstallDirectory = Value() },
                "--config-dir" => options with { ConfigDirectory = Value() },
                "--containerd-config" => options with { ContainerdConfig = Value() },
                "--containerd-socket" => options with { ContainerdSocket = Value() },
                "--handler" => options with { HandlerName = Value() },
                "--runtime-class" => options with { RuntimeClassName = Value() },
                "--node-name" => options with { NodeName = Value() },
                "--state-dir" => options with { StateDirectory = Value() },
                "--listen" => options with { ListenAddress = EndpointAddress.Parse(Value()) },
                "--kubeconfig" => options with { Kubeconfig = Value() },
                "--no-restart" => options with { RestartContainerd = false },
                "--restart-command" => options with { RestartCommand = Command(flag, Value()) },
                "--standalone" => options with { Standalone = true },
                "--metrics-only" => options with { MetricsOnly = true },
                "--uninstall" => options with { Uninstall = true },
                "--rollback" => options with { Rollback = true },
                _ => throw new ArgumentException($"unknown flag {flag}; see --help"),
            };
            if (options is null) return null;
        }

        return options;
    }

    private static string[] Command(string flag, string value)
    {
        var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 ? words : throw new ArgumentException($"{flag} needs a program to run");
    }
}
