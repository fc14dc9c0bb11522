using System.Net;
using System.Text.RegularExpressions;
using WasmKube.Endpoints;
using WasmKube.Kube.Testing;

namespace WasmKube.Operator.Tests;

public sealed partial class OperatorCommandLineTests
{
    [Fact]
    public void Flags_parse_in_both_spellings()
    {
        foreach (var args in new[]
        {
            new[] { "--kubeconfig", "/k", "--context=dev", "--leader-elect", "--namespace", "apps" },
            ["--kubeconfig=/k", "--context", "dev", "--leader-elect=true", "--namespace=apps"],
        })
        {
            var options = OperatorCommandLine.Parse(args);
            Assert.Equal(("/k", "dev", true, "apps"), (options.Kubeconfig, options.Context, options.LeaderElect, options.Namespace));
        }
    }

    [Fact]
    public void A_value_after_equals_is_taken_whole_even_with_colons_and_equals_signs()
    {
        var options = OperatorCommandLine.Parse(["--metrics-bind-address=http://127.0.0.1:9090", "--kubeconfig=/a=b:c", "--recheck-interval=2.5",
            "--max-concurrent-reconciles=7", "--leader-elect=false"]);

        Assert.Equal(new EndpointAddress(IPAddress.Loopback, 9090), options.MetricsAddress);
        Assert.Equal("/a=b:c", options.Kubeconfig);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.RecheckInterval);
        Assert.Equal(7, options.MaxConcurrentReconciles);
        Assert.False(options.LeaderElect);
    }

    [Fact]
    public void Defaults_are_those_of_the_readme()
    {
        var options = OperatorCommandLine.Parse([]);

        Assert.Equal(new EndpointAddress(IPAddress.Any, 8081), options.HealthProbeAddress);
        Assert.Equal(new EndpointAddress(IPAddress.Any, 8080), options.MetricsAddress);
        Assert.Equal(4, options.MaxConcurrentReconciles);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RecheckInterval);
        Assert.False(options.LeaderElect);
        Assert.Null(options.Namespace);
    }

    [Fact]
    public void Bad_flags_say_what_is_wrong()
    {
        Assert.Contains("--bogus", Assert.Throws<ArgumentException>(() => OperatorCommandLine.Parse(["--bogus"])).Message, StringComparison.Ordinal);
        Assert.Contains("--kubeconfig", Assert.Throws<ArgumentException>(() => OperatorCommandLine.Parse(["--kubeconfig"])).Message, StringComparison.Ordinal);
        var badAddress = Assert.Throws<ArgumentException>(() => OperatorCommandLine.Parse(["--metrics-bind-address", "localhost"])).Message;
        Assert.Contains("--metrics-bind-address", badAddress, StringComparison.Ordinal);
        Assert.Contains(":PORT", badAddress, StringComparison.Ordinal);
        foreach (var (flag, value) in new[] { ("--max-concurrent-reconciles", "0"), ("--max-concurrent-reconciles", "many"), ("--recheck-interval", "-1"), ("--recheck-interval", "soon") })
        {
            var message = Assert.Throws<ArgumentException>(() => OperatorCommandLine.Parse([$"{flag}={value}"])).Message;
            Assert.Contains(flag, message, StringComparison.Ordinal);
            Assert.Contains(value, message, StringComparison.Ordinal);
        }
        var options = OperatorCommandLine.Parse(["--health-probe-bind-address=:9081", "--metrics-bind-address", "0"]);
        Assert.Equal(new EndpointAddress(IPAddress.Any, 9081), options.HealthProbeAddress);
        Assert.Null(options.MetricsAddress);
    }

    [Fact]
    public async Task The_program_exits_2_naming_a_bad_flag_and_0_with_the_help()
    {
        var (bad, _, error) = await RunAsync("--metrics-bind-adress=:8080");
        Assert.Equal(2, bad);
        Assert.Contains("--metrics-bind-adress", error, StringComparison.Ordinal);

        var (help, output, _) = await RunAsync("--help");
        Assert.Equal(0, help);
        Assert.Equal(OperatorCommandLine.HelpText, output);
        Assert.True(OperatorCommandLine.Parse(["-h"]).Help);
    }

    [Fact]
    public void The_help_and_the_readme_list_the_same_flags()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "operator", "README.md"));
        var table = string.Join('\n', readme.Split('\n').Where(line => line.StartsWith("| `--", StringComparison.Ordinal)));

        Assert.Equal(Flags(OperatorCommandLine.HelpText).Where(f => f != "--help"), Flags(table));
    }

    private static SortedSet<string> Flags(string text) => new(FlagPattern().Matches(text).Select(m => m.Value), StringComparer.Ordinal);

    [GeneratedRegex("(?<![\\w-])--[a-z][a-z-]+")]
    private static partial Regex FlagPattern();

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        DotnetProgram.RunAsync(typeof(OperatorCommandLine).Assembly, args);
}
