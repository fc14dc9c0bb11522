using System.Text.Json.Nodes;

namespace WasmKube.Helm.Tests;

/// <summary>The objects `helm template` renders from helm/wasmkube with some values.</summary>
internal sealed class RenderedChart
{
    public const string ReleaseName = "wasmkube";
    public const string Namespace = "wasmkube-system";

    private RenderedChart(string yaml, IReadOnlyList<JsonObject> objects)
    {
        Yaml = yaml;
        Objects = objects;
    }

    /// <summary>helm template's output, hooks included.</summary>
    public string Yaml { get; }

    public IReadOnlyList<JsonObject> Objects { get; }

    /// <summary>Renders the chart; <paramref name="args"/> are extra helm flags such as "--set", "a=b".</summary>
    public static async Task<RenderedChart> RenderAsync(params string[] args)
    {
        using var helm = Tool.Helm();
        var yaml = (await helm.RunAsync(["template", ReleaseName, RepositoryPaths.Chart, "--namespace", Namespace, .. args])).Ok();
        return new RenderedChart(yaml, Helm.Tests.Yaml.Documents(yaml));
    }

    public static string Kind(JsonObject o) => (string)o["kind"]!;

    public static string Name(JsonObject o) => (string)o["metadata"]!["name"]!;

    public static string? NamespaceOf(JsonObject o) => (string?)o["metadata"]!["namespace"];

    public static bool IsHook(JsonObject o) => o["metadata"]!["annotations"]?["helm.sh/hook"] is not null;

    /// <summary>"Kind/name" of every object, hooks marked "(hook)", sorted.</summary>
    public IReadOnlyList<string> Summary() =>
        [.. Objects.Select(o => $"{Kind(o)}/{Name(o)}{(IsHook(o) ? " (hook)" : "")}").Order(StringComparer.Ordinal)];

    public JsonObject Get(string kind, string name) =>
        Objects.SingleOrDefault(o => Kind(o) == kind && Name(o) == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {name} rendered; got: {string.Join(", ", Summary())}");

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Kind(o) == kind);

    /// <summary>The args of a container (init containers included) of a workload's pod template.</summary>
    public static IReadOnlyList<string> Args(JsonObject workload, string container)
    {
        var spec = workload["spec"]!["template"]!["spec"]!;
        var all = (spec["containers"]?.AsArray() ?? []).Concat(spec["initContainers"]?.AsArray() ?? []);
        var found = all.SingleOrDefault(c => (string?)c!["name"] == container)
            ?? throw new Xunit.Sdk.XunitException($"{Kind(workload)} {Name(workload)} has no container {container}");
        return [.. found["args"]!.AsArray().Select(a => (string)a!)];
    }
}
