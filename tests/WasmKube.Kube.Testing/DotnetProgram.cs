using System.Diagnostics;
using System.Reflection;

namespace WasmKube.Kube.Testing;

/// <summary>Runs a program of the solution as users start it, in a process of its own: its exit code and output are what a shell sees.</summary>
public static class DotnetProgram
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(Assembly program, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
