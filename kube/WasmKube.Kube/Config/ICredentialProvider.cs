namespace WasmKube.Kube.Config;

/// <summary>Supplies the bearer token for each request; implementations cache and refresh as their source requires.</summary>
public interface ICredentialProvider
{
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}
