namespace WasmKube.Kube.Config;

/// <summary>
/// A token kept in a file and re-read periodically: the kubelet rotates projected service-account tokens in place
/// (client-go re-reads every minute, see rest.InClusterConfig / transport.NewCachedFileTokenSource).
/// </summary>
public sealed class TokenFileProvider(string path, TimeProvider? timeProvider = null) : ICredentialProvider
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _readAt;

    public string Path => path;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is not null && _time.GetUtcNow() - _readAt < RefreshInterval)
        {
            return _token;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is null || _time.GetUtcNow() - _readAt >= RefreshInterval)
            {
                try
                {
                    _token = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
                    _readAt = _time.GetUtcNow();
                }
                catch (IOException) when (_token is not null)
                {
                    // Mid-rotation the file can be briefly missing; the previous token is still valid for a while.
                }
            }
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
