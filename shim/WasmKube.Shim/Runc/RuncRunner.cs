using System.Globalization;
using System.Text.Json;

namespace WasmKube.Shim.Runc;

/// <summary>
/// Native containers (the pod's pause container, native sidecars) go to the node's runc, so the sandbox pid is a
/// real process owning the pod's namespaces. Same command sequence containerd's runc shim uses.
/// </summary>
public sealed class RuncRunner(string root, Action<string> log, string binary = "runc")
{
    public string Root { get; } = root;

    /// <summary>runc create: the init process waits on runc's exec FIFO until <see cref="StartAsync"/>.</summary>
    public async Task<int> CreateAsync(string id, string bundle, Stdio stdio, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(bundle, "init.pid");
        if (OomScoreGuard.Apply(bundle) is { } warning)
        {
            log($"{id}: {warning}");
        }

        await RunAsync(id, bundle, stdio, ["create", "--bundle", bundle, "--pid-file", pidFile, id], cancellationToken);
        return ReadPid(pidFile);
    }

    public Task StartAsync(string id, string bundle, CancellationToken cancellationToken) =>
        RunAsync(id, bundle, Stdio.None, ["start", id], cancellationToken);

    /// <summary>runc exec --detach: the process is reparented to the shim (a subreaper), which reaps it.</summary>
    public async Task<int> ExecAsync(string id, string bundle, string execId, string processJson, Stdio stdio, CancellationToken cancellationToken)
    {
        var processFile = Path.Combine(bundle, $"exec-{execId}.json");
        var pidFile = Path.Combine(bundle, $"exec-{execId}.pid");
        await File.WriteAllTextAsync(processFile, processJson, cancellationToken);
        await RunAsync(id, bundle, stdio, ["exec", "--detach", "--process", processFile, "--pid-file", pidFile, id], cancellationToken);
        return ReadPid(pidFile);
    }

    public Task KillAllAsync(string id, string bundle, int signal, CancellationToken cancellationToken) =>
        RunAsync(id, bundle, Stdio.None, ["kill", "--all", id, signal.ToString(CultureInfo.InvariantCulture)], cancellationToken);

    public async Task DeleteAsync(string id, string bundle, CancellationToken cancellationToken)
    {
        // runc keeps a container's state in <root>/<id>; without it (a wasm container) there is nothing to delete.
        if (!Directory.Exists(Path.Combine(Root, id))) return;
        try
        {
            await RunAsync(id, bundle, Stdio.None, ["delete", "--force", id], cancellationToken);
        }
        catch (RuncException e) when (e.Message.Contains("does not exist", StringComparison.Ordinal) || e.Message.Contains("not exist", StringComparison.Ordinal))
        {
        }
    }

    private async Task RunAsync(string id, string bundle, Stdio stdio, string[] arguments, CancellationToken cancellationToken)
    {
        var log = Path.Combine(bundle, "runc.log");
        File.Delete(log);
        using var process = ChildProcess.Start(stdio, [binary, "--root", Root, "--log", log, "--log-format", "json", .. arguments]);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new RuncException($"runc {arguments[0]} {id} failed (exit {process.ExitCode}): {LastError(log)}");
        }
    }

    /// <summary>The errors and warnings runc logged (its json log has one object per line with "level" and "msg").</summary>
    private static string LastError(string log)
    {
        if (!File.Exists(log))
        {
            return "no log";
        }

        var messages = new List<string>();
        foreach (var line in File.ReadLines(log))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal" or "warning" &&
                    doc.RootElement.TryGetProperty("msg", out var msg) && msg.GetString() is { Length: > 0 } text)
                {
                    messages.Add(text);
                }
            }
            catch (JsonException)
            {
                messages.Add(line);
            }
        }

        return messages.Count == 0 ? "see " + log : string.Join("; ", messages);
    }

    private static int ReadPid(string pidFile) => int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
}
