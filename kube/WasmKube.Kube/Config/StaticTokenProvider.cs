namespace WasmKube.Kube.Config;

/// <summary>A token written into the kubeconfig.</summary>
public sealed class StaticTokenProvider(string token) : ICredentialProvider
{
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);
}
