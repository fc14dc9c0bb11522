using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using WasmKube.Endpoints;

namespace WasmKube.Operator;

/// <summary>The operator's flags (names as in controller-runtime based operators, so manifests read familiar).</summary>
public sealed record OperatorCommandLine
{
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

    /// <summary>The --help text, generated from the options.</summary>
    public static string HelpText
    {
        get
        {
            var output = new StringWriter(CultureInfo.InvariantCulture);
            Options.Command.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });
            return output.ToString();
        }
    }

    /// <summary>
    /// Parses flags in <c>--name value</c> or <c>--name=value</c> form; throws <see cref="ArgumentException"/> naming
    /// the bad flag. With <c>--help</c> the result has <see cref="Help"/> set.
    /// </summary>
    public static OperatorCommandLine Parse(IReadOnlyList<string> args)
    {
        var flags = new Options();
        var result = flags.Root.Parse(args);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", result.Errors.Select(e => e.Message)) + " See --help.");
        }
        if (result.Action is HelpAction)
        {
            return new OperatorCommandLine { Help = true };
        }
        return new OperatorCommandLine
        {
            Kubeconfig = result.GetValue(flags.Kubeconfig),
            Context = result.GetValue(flags.Context),
            Namespace = result.GetValue(flags.Namespace),
            LeaderElect = result.GetValue(flags.LeaderElect),
            LeaderElectionNamespace = result.GetValue(flags.LeaderElectionNamespace),
            HealthProbeAddress = BindAddress(result.GetValue(flags.HealthProbeAddress)!),
            MetricsAddress = BindAddress(result.GetValue(flags.MetricsAddress)!),
            MaxConcurrentReconciles = result.GetValue(flags.MaxConcurrentReconciles),
            RecheckInterval = TimeSpan.FromSeconds(result.GetValue(flags.RecheckInterval)),
        };
    }

    /// <summary>":8081", "0.0.0.0:8081" or "127.0.0.1:8081"; null for "0" (disabled).</summary>
    private static EndpointAddress? BindAddress(string value) => value is "0" or "" ? null : EndpointAddress.Parse(value);

    /// <summary>The options of System.CommandLine, with defaults taken from a default <see cref="OperatorCommandLine"/>.</summary>
    private sealed class Options
    {
        private static readonly OperatorCommandLine Defaults = new();

        public Options()
        {
            // A named command rather than a RootCommand: the usage line shows the program's name however it is started,
            // and there is no --version (the image tag names the version).
            Root = new Command(OperatorHost.Name, "wasmkube-operator: turns WasmWorkloads into Deployments and Services that run on the wasmkube RuntimeClass.")
            {
                Kubeconfig, Context, Namespace, LeaderElect, LeaderElectionNamespace, HealthProbeAddress, MetricsAddress,
                MaxConcurrentReconciles, RecheckInterval, new HelpOption(),
            };
        }

        public static Command Command => new Options().Root;

        public Command Root { get; }

        public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
        {
            Description = "kubeconfig to use (default: $KUBECONFIG, else in-cluster in a pod, else ~/.kube/config)",
            HelpName = "PATH",
        };

        public Option<string?> Context { get; } = new("--context") { Description = "kubeconfig context (default: its current-context)", HelpName = "NAME" };

        public Option<string?> Namespace { get; } = new("--namespace") { Description = "watch only this namespace (default: all)", HelpName = "NAME" };

        public Option<bool> LeaderElect { get; } = new("--leader-elect") { Description = "elect a leader on a Lease so only one replica reconciles" };

        public Option<string?> LeaderElectionNamespace { get; } = new("--leader-election-namespace")
        {
            Description = "namespace of the Lease (default: the client's namespace)",
            HelpName = "NAME",
        };

        public Option<string> HealthProbeAddress { get; } = BindAddressOption("--health-probe-bind-address", "/healthz and /readyz listener: :PORT, IP:PORT or http://IP:PORT; 0 disables", ":8081");

        public Option<string> MetricsAddress { get; } = BindAddressOption("--metrics-bind-address", "/metrics listener: :PORT, IP:PORT or http://IP:PORT; 0 disables", ":8080");

        public Option<int> MaxConcurrentReconciles { get; } = new("--max-concurrent-reconciles")
        {
            Description = "parallel reconciles; one key is never reconciled twice at once",
            HelpName = "N",
            DefaultValueFactory = _ => Defaults.MaxConcurrentReconciles,
            CustomParser = result => Positive(result, int.TryParse(Value(result), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0, "a positive number"),
        };

        public Option<double> RecheckInterval { get; } = new("--recheck-interval")
        {
            Description = "recheck of workloads with spec problems",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => Defaults.RecheckInterval.TotalSeconds,
            CustomParser = result => Positive(result, double.TryParse(Value(result), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) ? s : 0, "a positive number of seconds"),
        };

        /// <summary>An address as written (a null value would read as "not given"); checked at parse time.</summary>
        private static Option<string> BindAddressOption(string name, string description, string fallback)
        {
            var option = new Option<string>(name) { Description = description, HelpName = "ADDR", DefaultValueFactory = _ => fallback };
            option.Validators.Add(result =>
            {
                try
                {
                    BindAddress(result.GetValueOrDefault<string>());
                }
                catch (ArgumentException e)
                {
                    result.AddError($"{name}: {e.Message} Or 0 to disable.");
                }
            });
            return option;
        }

        private static string Value(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

        private static T Positive<T>(ArgumentResult result, T value, string what)
            where T : System.Numerics.INumber<T>
        {
            if (value <= T.Zero)
            {
                result.AddError($"{((OptionResult)result.Parent!).Option.Name} needs {what}, not '{Value(result)}'.");
            }
            return value;
        }
    }
}
