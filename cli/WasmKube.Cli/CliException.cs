namespace WasmKube.Cli;

/// <summary>A failure to report as one line on stderr, without a stack trace, and the exit code to end with.</summary>
public sealed class CliException(string message, int exitCode = CommandExitCodes.UsageError) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
