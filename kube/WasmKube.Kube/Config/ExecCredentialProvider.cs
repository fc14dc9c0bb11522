using System.Diagnostics;
using System.Text.Json;

namespace WasmKube.Kube.Config;

/// <summary>
/// Runs a client-go credential plugin (kubeconfig users[].user.exec) and caches its token until it expires.
/// Protocol: client.authentication.k8s.io ExecCredential, printed as JSON on the plugin's stdout
/// (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins).
/// </summary>
public sealed class ExecCredentialProvider(ExecCredentialCommand command, TimeProvider? timeProvider = null) : ICredentialProvider
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset? _expiresAt;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Refresh a little early so a request never leaves with a token that expires in flight.
            if (_token is null || (_expiresAt is { } expiry && _time.GetUtcNow() >= expiry - TimeSpan.FromSeconds(10)))
            {
                (_token, _expiresAt) = await RunAsync(cancellationToken).ConfigureAwait(false);
            }
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Token, DateTimeOffset? Expiry)> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in command.Env)
        {
            start.Environment[name] = value;
        }
        start.Environment["KUBERNETES_EXEC_INFO"] =
            $$$"""{"apiVersion":"{{{command.ApiVersion}}}","kind":"ExecCredential","spec":{"interactive":false}}""";

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start credential plugin '{command.Command}'.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Credential plugin '{command.Command}' exited with code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }
        return Parse(await stdout.ConfigureAwait(false), command.Command);
    }

    internal static (string Token, DateTimeOffset? Expiry) Parse(string json, string commandName)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("status", out var status))
        {
            throw new InvalidOperationException($"Credential plugin '{commandName}' printed an ExecCredential without status.");
        }
        if (!status.TryGetProperty("token", out var token) || token.GetString() is not { Length: > 0 } text)
        {
            throw new InvalidOperationException(
                $"Credential plugin '{commandName}' returned no status.token; client certificates from plugins are not supported, use client-certificate-data in the kubeconfig instead.");
        }
        DateTimeOffset? expiry = status.TryGetProperty("expirationTimestamp", out var expires) && expires.ValueKind == JsonValueKind.String
            ? expires.GetDateTimeOffset()
            : null;
        return (text, expiry);
    }
}
