namespace WasmKube.Kube.Hosting;

/// <summary>Health-check tags: checks tagged Ready gate /readyz; every other check gates /healthz.</summary>
public static class ProbeTags
{
    public const string Ready = "ready";
}
