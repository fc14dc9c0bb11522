namespace WasmKube.Kube.Models;

/// <summary>One set-based label requirement (In, NotIn, Exists, DoesNotExist).</summary>
public sealed class V1LabelSelectorRequirement
{
    public string Key { get; set; } = "";
    public string Operator { get; set; } = "";
    public IList<string>? Values { get; set; }
}
