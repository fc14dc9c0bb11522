using WasmKube.Kube.Hosting;

namespace WasmKube.Operator;

/// <summary>The operator's flags (names as in controller-runtime based operators, so manifests read familiar).</summary>
public sealed record OperatorCommandLine
{
    public const string Usage = """
        Usage: wasmkube-operator [options]
          --kubeconfig PATH                   kubeconfig to use (default: $KUBECONFIG, else in-cluster in a pod, else ~/.kube/config)
          --context NAME                      kubeconfig context (default: its current-context)
          --namespace NAME                    watch only this namespace (default: all)
          --leader-elect                      elect a leader on a Lease so only one replica reconciles
          --leader-election-namespace NAME    namespace of the Lease (default: the client's namespace)
          --health-probe-bind-address ADDR    /healthz and /readyz listener (default :8081; 0 disables)
          --metrics-bind-address ADDR         /metrics listener (default :8080; 0 disables)
          --max-concurrent-reconciles N       parallel reconciles (default 4)
          --recheck-interval SECONDS          recheck of workloads with spec problems (default 30)
        """;

    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }
    public string? Namespace { get; init; }
    public bool LeaderElect { get; init; }
    public string? LeaderElectionNamespace { get; init; }
    /// <summary>Where /healthz and /readyz are served; null when disabled.</summary>
    public EndpointAddress? HealthProbeAddress { get; init; } = EndpointAddress.Parse(":8081");

    /// <summary>Where /metrics is served; null when disabled.</summary>
    public EndpointAddress? MetricsAddress { get; init; } = EndpointAddress.Parse(":8080");
    public int MaxConcurrentReconciles { get; init; } = 4;
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromSeconds(30);
    public bool Help { get; init; }

    /// <summary>Parses flags in --name value or --name=value form; throws <see cref="ArgumentException"/> naming the bad flag.</summary>
    public static OperatorCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new OperatorCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value.\n{Usage}"));
            result = arg switch
            {
                "--kubeconfig" => result with { Kubeconfig = Value() },
                "--context" => result with { Context = Value() },
                "--namespace" => result with { Namespace = Value() },
                "--leader-elect" => result with { LeaderElect = inline is null || bool.Parse(inline) },
                "--leader-election-namespace" => result with { LeaderElectionNamespace = Value() },
                "--health-probe-bind-address" => result with { HealthProbeAddress = BindAddress(arg, Value()) },
                "--metrics-bind-address" => result with { MetricsAddress = BindAddress(arg, Value()) },
                "--max-concurrent-reconciles" => result with
                {
                    MaxConcurrentReconciles = int.TryParse(Value(), out var n) && n > 0
                        ? n
                        : throw new ArgumentException("--max-concurrent-reconciles needs a positive number."),
                },
"--recheck-interval" => result with
                {
                    RecheckInterval = double.TryParse(Value(), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                        ? TimeSpan.FromSeconds(seconds)
                        : throw new ArgumentException("--recheck-interval needs a positive number of seconds."),
                },
                "-h" or "--help" => result with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{arg}'.\n{Usage}"),
            };
        }
        return result;
    }

    /// <summary>":8081", "0.0.0.0:8081" or "127.0.0.1:8081"; null for "0" (disabled).</summary>
    private static EndpointAddress? BindAddress(string flag, string value)
    {
        try
        {
            return value is "0" or "" ? null : EndpointAddress.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{flag}: {e.Message} Or 0 to disable.", e);
        }
    }
}
