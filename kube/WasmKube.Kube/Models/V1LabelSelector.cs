namespace WasmKube.Kube.Models;

/// <summary>metav1.LabelSelector.</summary>
public sealed class V1LabelSelector
{
    public IDictionary<string, string>? MatchLabels { get; set; }
    public IList<V1LabelSelectorRequirement>? MatchExpressions { get; set; }
}
