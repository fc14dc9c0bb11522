using System.Diagnostics;

namespace WasmKube.Shim.Runc;

/// <summary>
/// Starts helper programs. .NET passes only fds 0-2 to a child and cannot open them on arbitrary files, so a tiny
/// /bin/sh prologue opens the stdio and execs the program. FIFOs are opened read-write, so the open never blocks:
/// a client that created them may already be gone (a detached <c>ctr run -d</c>), and a write-only open would then
/// wait forever for a reader. Files (a log URI) are appended to.
/// </summary>
internal static class ChildProcess
{
    private const string Prologue =
        "exec <>\"$WK_STDIN\"; " +
        "if [ -p \"$WK_STDOUT\" ]; then exec 1<>\"$WK_STDOUT\"; else exec 1>>\"$WK_STDOUT\"; fi; " +
        "if [ -p \"$WK_STDERR\" ]; then exec 2<>\"$WK_STDERR\"; else exec 2>>\"$WK_STDERR\"; fi; " +
        "unset WK_STDIN WK_STDOUT WK_STDERR; exec \"$@\"";

    public static Process Start(Stdio stdio, IEnumerable<string> command, IDictionary<string, string>? environment = null, string? prologue = null)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add((prologue ?? "") + Prologue);
        info.ArgumentList.Add("sh");
        foreach (var argument in command)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["WK_STDIN"] = OrNull(stdio.Stdin);
        info.Environment["WK_STDOUT"] = OrNull(stdio.Stdout);
        info.Environment["WK_STDERR"] = OrNull(stdio.Stderr);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
    }

    /// <summary>Runs a command to completion with stdio on /dev/null; returns its exit code.</summary>
    public static async Task<int> RunAsync(IEnumerable<string> command, CancellationToken cancellationToken)
    {
        using var process = Start(Stdio.None, command);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    private static string OrNull(string path) => path.Length == 0 ? "/dev/null" : StripScheme(path);

    private static string StripScheme(string path) =>
        path.StartsWith("file://", StringComparison.Ordinal) ? path["file://".Length..] : path;
}
