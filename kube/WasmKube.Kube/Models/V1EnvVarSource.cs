namespace WasmKube.Kube.Models;

/// <summary>core/v1 EnvVarSource: exactly one of the references is set.</summary>
public sealed class V1EnvVarSource
{
    public V1ConfigMapKeySelector? ConfigMapKeyRef { get; set; }
    public V1SecretKeySelector? SecretKeyRef { get; set; }
    public V1ObjectFieldSelector? FieldRef { get; set; }
    public V1ResourceFieldSelector? ResourceFieldRef { get; set; }
}
