using System.Diagnostics;

namespace WasmKube.Shim.Tests.Infrastructure;

/// <summary>Runs helper programs (ctr, wat2wasm, clang) to completion, killing them by pid on timeout.</summary>
internal static class Commands
{
    public static async Task<CommandResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} did not finish in time; stdout: {await stdout}; stderr: {await stderr}");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    public static async Task<CommandResult> CheckedAsync(string program, params string[] arguments)
    {
        var result = await RunAsync(program, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {result}");
        }

        return result;
    }
}
